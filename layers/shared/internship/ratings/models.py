"""Request and answer models of 好差评 (ratings and the follow-ups of 差评). camelCase on the wire."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, StrictInt

from internship.types import INT32, MULTILINE_TEXT, CamelModel, DateText, Id, Timestamp, text_constraints

COMMENT_LENGTH = 200
RESULT_LENGTH = 500
Comment = Annotated[str, text_constraints(COMMENT_LENGTH, required=False), MULTILINE_TEXT]
Result = Annotated[str, text_constraints(RESULT_LENGTH), MULTILINE_TEXT]
Note = Annotated[str, text_constraints(RESULT_LENGTH, required=False), MULTILINE_TEXT]
Day = Annotated[DateText, Field(description="日期 YYYY-MM-DD（北京时间）")]
Level = Annotated[int, Field(ge=1, le=5), INT32]


class FollowUpState(StrEnum):
    """回访状态: 待回访, 逾期 (past its due date, still open), 已办结."""

    OPEN = "OPEN"
    OVERDUE = "OVERDUE"
    DONE = "DONE"


class RatingRequest(CamelModel):
    """好差评: five levels (5 非常满意 … 1 非常不满意) and an optional comment."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"level": 5, "comment": "办理很快，工作人员很耐心"}, {"level": 2}]},
    )

    level: Annotated[
        StrictInt, Field(ge=1, le=5, description="5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意"), INT32
    ]
    comment: Comment | None = None


class FollowUpView(CamelModel):
    """The follow-up of a 差评, as the citizen sees it."""

    due_date: Day
    status: FollowUpState
    result: Annotated[str | None, Field(max_length=RESULT_LENGTH, description="回访结果")] = None
    done_at: Timestamp | None = None


class RatingResponse(CamelModel):
    rating_id: Id
    level: Level
    level_label: Annotated[str, Field(max_length=8)]
    follow_up: FollowUpView | None = Field(None, description="差评（1、2级）的回访：办结时限为10个工作日")


class RatingView(RatingResponse):
    """A rating of a case, in the case's detail."""

    comment: Annotated[str | None, Field(max_length=COMMENT_LENGTH)] = None
    rated_at: Timestamp


class CaseRatings(CamelModel):
    """What a case's detail shows of 好差评: its ratings, and whether it may be rated now."""

    ratings: Annotated[list[RatingView], Field(max_length=2)]
    can_rate: bool = Field(description="办结后可评价一次；差评回访办结后可再评价一次")


class FollowUpRequest(CamelModel):
    """Close the follow-up of a 差评: the result the citizen reads, and a note for the bureau."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"result": "已电话联系申请人，说明审核依据并指导重新申报", "note": "经办人：王某"}]
        },
    )

    result: Result
    note: Note | None = None


class ReviewFollowUp(FollowUpView):
    note: Annotated[str | None, Field(max_length=RESULT_LENGTH, description="回访备注（仅后台可见）")] = None
    done_by: Annotated[str | None, Field(max_length=512, description="办结人的 IAM ARN")] = None
    done_jurisdiction: Annotated[str | None, Field(max_length=6)] = None


class ReviewRating(CamelModel):
    """One rating of a case in the caller's jurisdiction, with its follow-up where it is a 差评."""

    rating_id: Id
    case_kind: Annotated[str, Field(max_length=20, description="办件类型：APPLICATION")]
    case_id: Id
    reference_no: Annotated[str, Field(max_length=40)]
    level: Level
    level_label: Annotated[str, Field(max_length=8)]
    comment: Annotated[str | None, Field(max_length=COMMENT_LENGTH)] = None
    rated_at: Timestamp
    region_code: Annotated[str, Field(max_length=6, description="办件所在地行政区划代码（决定属地）")]
    follow_up: ReviewFollowUp | None = None


class ReviewRatingPage(CamelModel):
    items: Annotated[list[ReviewRating], Field(max_length=100)]
    next_cursor: Annotated[str | None, Field(max_length=2048)] = None
