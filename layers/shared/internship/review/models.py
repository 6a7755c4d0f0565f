"""Request and response models of the review API (审核). camelCase on the wire."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from internship.applications.models import ApplicationStatus

REASON_REQUIRED = "审核不通过时必须填写原因"


class Decision(StrEnum):
    """A reviewer's decision: 审核通过 or 审核不通过."""

    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class DecisionRequest(_Model):
    """``{decision, reason}``; a rejection needs a reason the applicant can read."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    decision: Decision
    reason: Annotated[str | None, Field(max_length=500)] = None

    @model_validator(mode="before")
    @classmethod
    def _strip_reason(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("reason"), str):
            data = {**data, "reason": data["reason"].strip() or None}
        return data


class DecisionResponse(_Model):
    application_id: str
    status: ApplicationStatus
    status_label: str
    decided_at: str
    reason: str | None = None


class ReviewQueueItem(_Model):
    """One line of the queue; the ID number is masked here (lists never show it whole)."""

    application_id: str
    reference_no: str
    status: ApplicationStatus
    status_label: str
    submitted_at: str
    month: str
    position_id: str
    position_title: str
    unit_name: str
    applicant_name: str
    id_number_masked: str


class ReviewQueuePage(_Model):
    items: list[ReviewQueueItem]
    next_cursor: str | None = None


class ReviewApplicant(_Model):
    """The applicant as the login profile had them at submission; the ID number unmasked."""

    name: str
    id_number: str
    gender: str
    birth_date: str


class ReviewForm(_Model):
    """The form as submitted; fields a category does not need may be absent."""

    person_category: str | None = None
    phone: str | None = None
    education_level: str | None = None
    school: str | None = None
    major: str | None = None
    graduation_date: str | None = None
    household_region_code: str | None = None
    address: str | None = None
    employment_certificate_no: str | None = None
    start_date: str | None = None
    end_date: str | None = None


class ReviewAttachment(_Model):
    attachment_id: str
    kind: str
    file_name: str
    content_type: str
    size: int
    status: str
    download_url: str | None = None
    expires_at: str | None = None


class ReviewHistoryEntry(_Model):
    at: str
    action: str
    actor: str
    reason: str | None = None


class ReviewApplicationDetail(_Model):
    application_id: str
    reference_no: str
    person_id: str
    status: ApplicationStatus
    status_label: str
    submitted_at: str
    month: str
    position_id: str
    position_title: str
    unit_name: str
    applicant: ReviewApplicant
    form: ReviewForm
    attachments: list[ReviewAttachment]
    history: list[ReviewHistoryEntry]
    copy_from: str | None = None
    updated_at: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    reason: str | None = None
