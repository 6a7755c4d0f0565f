"""Request and response models of the review API (审核). camelCase on the wire."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from internship.applications.models import ApplicationDetail, ApplicationStatus, ApplicationSummary
from internship.positions.models import PositionStatus, PositionText
from internship.types import (
    ID_NUMBER_DOC,
    ID_NUMBER_MASKED_DOC,
    MONTH_DOC,
    MULTILINE_TEXT,
    CamelModel,
    Count,
    DateText,
    Id,
    Label,
    Limits,
    Timestamp,
    text_constraints,
    trim,
)

REASON_REQUIRED = "审核不通过时必须填写原因"
Reason = Annotated[str, text_constraints(500, required=False), MULTILINE_TEXT]


class Decision(StrEnum):
    """A reviewer's decision: 审核通过 or 审核不通过."""

    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class DecisionRequest(CamelModel):
    """``{decision, reason}``; a rejection needs a reason the applicant can read."""

    model_config = ConfigDict(
        extra="forbid",  # camelCase from CamelModel
        json_schema_extra={
            "examples": [{"decision": "APPROVED"}, {"decision": "REJECTED", "reason": "毕业时间超过2年"}]
        },
    )

    decision: Decision
    reason: Reason | None = None

    @model_validator(mode="before")
    @classmethod
    def _strip_reason(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("reason"), str):
            data = {**data, "reason": trim(data["reason"]) or None}
        return data


class DecisionResponse(CamelModel):
    application_id: Id
    status: ApplicationStatus
    status_label: Label
    decided_at: Timestamp
    reason: Annotated[str | None, Limits(maxLength=500)] = None


class ReviewQueueItem(ApplicationSummary):
    """One line of the queue: a my-cases line plus who applied (the ID number masked: lists never
    show it whole)."""

    applicant_name: Annotated[str, Limits(maxLength=100)]
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC]


class ReviewQueuePage(CamelModel):
    items: Annotated[list[ReviewQueueItem], Limits(maxItems=100)]
    next_cursor: Annotated[str | None, Limits(maxLength=1024)] = None


class ReviewApplicant(CamelModel):
    """The applicant as the login profile had them at submission; the ID number unmasked."""

    name: Annotated[str, Limits(maxLength=100)]
    id_number: Annotated[str, ID_NUMBER_DOC]
    gender: Label
    birth_date: DateText


class ReviewApplicationDetail(ApplicationDetail):
    """The applicant's detail as a reviewer sees it: the ID number unmasked, who the person is, who decided."""

    applicant: ReviewApplicant  # type: ignore[assignment]
    person_id: Id
    decided_by: Annotated[str | None, Limits(maxLength=1024)] = None
    decided_jurisdiction: Annotated[str | None, Limits(maxLength=6)] = Field(
        None, description="作出审核决定的机构的管辖范围"
    )


class RegionCounts(CamelModel):
    """The counts of one city (in the province's view) or county (in a city's)."""

    region_code: Annotated[str, Limits(maxLength=6)]  # a city's 4 digits or a county's 6
    name: Annotated[str | None, Limits(maxLength=50)] = None
    by_status: dict[ApplicationStatus, Count]
    total: Count


class RatingCounts(CamelModel):
    """好差评 given in the month, by level ("5" 非常满意 … "1" 非常不满意)."""

    by_level: dict[Literal["1", "2", "3", "4", "5"], Count] = Field(description="各评价等级的评价数")
    total: Count


class ReviewStats(CamelModel):
    """``GET /review/stats``: applications of a jurisdiction submitted in a month, by status."""

    region_prefix: Annotated[str, Limits(maxLength=6)] = Field(
        description="统计范围：行政区划代码前缀（本机构的管辖范围或其中一部分）"
    )
    month: Annotated[str, MONTH_DOC] = Field(description="申办月份 YYYY-MM")
    by_status: dict[ApplicationStatus, Count] = Field(description="各审核状态的申请数")
    total: Count
    by_region: Annotated[list[RegionCounts], Limits(maxItems=1000)] = Field(
        description="省：按市；市：按区县；区县：空"
    )
    ratings: RatingCounts = Field(description="当月的好差评，按评价等级")


class ReviewPosition(PositionText):
    """One line of the positions' review queue (岗位审核): what a host unit asks to publish, in full,
    a new position (``revision`` false) or a change to its published one (``revision`` true, the
    proposed text: the catalogue shows the approved one meanwhile, ``GET /positions/{positionId}``)."""

    position_id: Annotated[str, Field(max_length=64)]
    revision: bool = Field(description="true：对已发布岗位的修改；false：新录入的岗位")
    status: Literal["PENDING_REVIEW", "REJECTED"] = Field(description="PENDING_REVIEW 待审核，REJECTED 未通过")
    submitted_at: Annotated[str, Field(max_length=40)]
    reason: Annotated[str | None, Field(max_length=500)] = None


class ReviewPositionPage(CamelModel):
    items: Annotated[list[ReviewPosition], Field(max_length=100)]
    next_cursor: Annotated[str | None, Field(max_length=2048)] = None


class PositionDecisionResponse(CamelModel):
    """The decision on what a unit published: the position as it is now (OPEN with the approved text,
    or REJECTED, or OPEN with its change rejected)."""

    position_id: Annotated[str, Field(max_length=64)]
    revision: bool = Field(description="true：审核的是对已发布岗位的修改")
    decision: Decision
    status: PositionStatus = Field(description="审核后岗位的状态")
    decided_at: Annotated[str, Field(max_length=40)]
    reason: Annotated[str | None, Field(max_length=500)] = None
