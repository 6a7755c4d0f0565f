"""Request and response models of the review API (审核). camelCase on the wire."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from internship.applications.models import ApplicationDetail, ApplicationStatus, ApplicationSummary
from internship.types import ID_NUMBER_DOC, ID_NUMBER_MASKED_DOC, MULTILINE_TEXT, CamelModel, text_constraints

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
            data = {**data, "reason": data["reason"].strip() or None}
        return data


class DecisionResponse(CamelModel):
    application_id: str
    status: ApplicationStatus
    status_label: str
    decided_at: str
    reason: str | None = None


class ReviewQueueItem(ApplicationSummary):
    """One line of the queue: a my-cases line plus who applied (the ID number masked: lists never
    show it whole)."""

    applicant_name: str
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC]


class ReviewQueuePage(CamelModel):
    items: list[ReviewQueueItem]
    next_cursor: str | None = None


class ReviewApplicant(CamelModel):
    """The applicant as the login profile had them at submission; the ID number unmasked."""

    name: str
    id_number: Annotated[str, ID_NUMBER_DOC]
    gender: str
    birth_date: str


class ReviewApplicationDetail(ApplicationDetail):
    """The applicant's detail as a reviewer sees it: the ID number unmasked, who the person is, who decided."""

    applicant: ReviewApplicant  # type: ignore[assignment]
    person_id: str
    decided_by: str | None = None
    decided_jurisdiction: str | None = Field(None, description="作出审核决定的机构的管辖范围")


class RegionCounts(CamelModel):
    """The counts of one city (in the province's view) or county (in a city's)."""

    region_code: str
    name: str | None = None
    by_status: dict[ApplicationStatus, int]
    total: int


class ReviewStats(CamelModel):
    """``GET /review/stats``: applications of a jurisdiction submitted in a month, by status."""

    region_prefix: str = Field(description="统计范围：行政区划代码前缀（本机构的管辖范围或其中一部分）")
    month: str = Field(description="申办月份 YYYY-MM")
    by_status: dict[ApplicationStatus, int] = Field(description="各审核状态的申请数")
    total: int
    by_region: list[RegionCounts] = Field(description="省：按市；市：按区县；区县：空")
