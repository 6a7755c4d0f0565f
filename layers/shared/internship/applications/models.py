"""Request and response models of the applications API (SPEC §4 "Applications").

Identity (name, ID number, gender, birth date) is never part of a request: it comes from the
login profile. Field-level formats live here; rules that need the profile, the position or the
clock live in ``rules`` and ``service``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic.json_schema import JsonDict

from internship.applications.items import ApplicationStatus
from internship.ratings.models import RatingView
from internship.types import (
    ID_NUMBER_MASKED_DOC,
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    MOBILE_DOC,
    MONTH_DOC,
    REGION_CODE_DOC,
    CamelModel,
    DateText,
    Id,
    Label,
    Limits,
    Message,
    Mobile,
    Month,
    RegionCode,
    ShortText,
    Text,
    Timestamp,
    blank_to_none,
    one_of,
    strip,
)

STATUS_LABELS: dict[str, str] = {
    ApplicationStatus.PENDING: "未审核",
    ApplicationStatus.APPROVED: "审核通过",
    ApplicationStatus.REJECTED: "审核不通过",
    ApplicationStatus.WITHDRAWN: "已撤回",
}


class PersonCategory(StrEnum):
    """人员类别."""

    COLLEGE_GRADUATE = "COLLEGE_GRADUATE"  # 离校2年内未就业高校毕业生
    VOCATIONAL_GRADUATE = "VOCATIONAL_GRADUATE"  # 离校2年内未就业中职毕业生
    RETURNED_GRADUATE = "RETURNED_GRADUATE"  # 离校2年内留学回国人员
    UNEMPLOYED_YOUTH = "UNEMPLOYED_YOUTH"  # 16-24岁失业青年


CATEGORY_LABELS: dict[str, str] = {
    PersonCategory.COLLEGE_GRADUATE: "离校2年内未就业高校毕业生",
    PersonCategory.VOCATIONAL_GRADUATE: "离校2年内未就业中职毕业生",
    PersonCategory.RETURNED_GRADUATE: "离校2年内留学回国人员",
    PersonCategory.UNEMPLOYED_YOUTH: "16-24岁失业青年",
}


Category = Annotated[
    PersonCategory,
    one_of(PersonCategory, "人员类别应为高校毕业生、中职毕业生、留学回国人员或失业青年之一"),
]
StatusFilter = Annotated[
    ApplicationStatus,
    one_of(ApplicationStatus, "审核状态应为未审核、审核通过、审核不通过或已撤回"),
]
Identifier = Annotated[str, BeforeValidator(strip), Field(min_length=1, max_length=MAX_ID_LENGTH)]
# Not asked of every category (毕业院校, 所学专业 of 失业青年): empty is "not given".
OptionalText = Annotated[Text | None, BeforeValidator(blank_to_none)]
READ_ONLY = "由系统根据代码填写，提交时忽略"
MAX_ATTACHMENTS = 20  # at most this many ids in a form (and in an answer)
ReferenceNo = Annotated[str, Limits(maxLength=32)]  # 办件编号, e.g. JX2026070100012
RegionName = Annotated[str | None, Limits(maxLength=64)]  # ``regions.name_of``: 太原市小店区


# The OpenAPI example of a submission (a college graduate with the three required attachments).
SUBMIT_EXAMPLE: JsonDict = {
    "positionId": "5b0c7a1e-3f52-4d7e-9a51-2f0e8c1d4b6a",
    "personCategory": "COLLEGE_GRADUATE",
    "phone": "13812345678",
    "educationLevel": "本科",
    "school": "山西大学",
    "major": "计算机科学与技术",
    "graduationDate": "2026-07",
    "householdRegionCode": "140105",
    "address": "太原市小店区坞城路92号",
    "employmentCertificateNo": "140105202600000123",
    "startDate": "2026-12-01",
    "endDate": "2027-05-31",
    "attachmentIds": [
        "0f8e5d2c-6b1a-4c3e-8d7f-1a2b3c4d5e6f",
        "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
    ],
}


class SubmitApplicationRequest(CamelModel):
    """申报: the form of an internship application."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [SUBMIT_EXAMPLE]})

    position_id: Identifier
    person_category: Category
    phone: Mobile
    education_level: Text
    # Required of the graduate categories (a rule: ``rules.form_problems``), not of 失业青年.
    school: OptionalText = None
    major: OptionalText = None
    graduation_date: Annotated[Month | None, BeforeValidator(blank_to_none)] = None
    household_region_code: RegionCode = Field(description="户籍所在区县的行政区划代码（6位，本省的区县）")
    address: Text
    # Left out by a holder of a 就业创业证 issued here: filled from it (a different one is refused).
    employment_certificate_no: OptionalText = Field(
        None, description="就业创业证编号；在本平台取得就业创业证的可不填写，由系统自动填入（填写时须与之一致）"
    )
    start_date: Annotated[date, Limits(maxLength=10)]
    end_date: Annotated[date, Limits(maxLength=10)]
    # With ``copyFrom``, empty or missing means "that application's attachments"; without it, the
    # required kinds are reported missing by the rules (请上传身份证 …), on this field.
    attachment_ids: Annotated[list[Identifier], Field(max_length=MAX_ATTACHMENTS)] = Field(default_factory=list)
    copy_from: Annotated[Identifier | None, BeforeValidator(blank_to_none)] = Field(
        None, description="重新申报：本人已撤回或审核不通过的申请编号，其附件可再次使用"
    )
    # The detail's form carries the household region's name: a client sending it back is not refused.
    household_region_name: Any = Field(default=None, exclude=True, description=READ_ONLY,
                                       json_schema_extra={"readOnly": True})  # fmt: skip


class SubmitApplicationResponse(CamelModel):
    application_id: Id
    reference_no: ReferenceNo
    status: ApplicationStatus
    status_label: Label
    message: Message


class ApplicationSummary(CamelModel):
    """One line of my cases (我的办件)."""

    application_id: Id
    reference_no: ReferenceNo
    status: ApplicationStatus
    status_label: Label
    submitted_at: Timestamp
    month: Annotated[str, MONTH_DOC]
    position_id: Id
    position_title: ShortText
    unit_name: ShortText
    region_code: Annotated[str, REGION_CODE_DOC] | None = Field(None, description="岗位所在地行政区划代码（决定属地）")
    region_name: RegionName = Field(None, description="岗位所在地名称，如太原市小店区")


class ApplicationList(CamelModel):
    items: Annotated[list[ApplicationSummary], Limits(maxItems=100)]
    next_cursor: Annotated[str | None, Limits(maxLength=1024)] = None


class PositionRef(CamelModel):
    position_id: Id
    title: ShortText
    unit_name: ShortText


class Applicant(CamelModel):
    """The applicant as the login profile knew them at submission; the ID number is masked."""

    name: Annotated[str, Limits(maxLength=100)]
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC]
    gender: Label
    birth_date: DateText


class ApplicationForm(CamelModel):
    """Everything the portal needs to pre-fill a re-application."""

    position_id: Id
    person_category: PersonCategory
    phone: Annotated[str, MOBILE_DOC]
    education_level: ShortText
    school: Annotated[str | None, Limits(maxLength=MAX_TEXT_LENGTH)] = None
    major: Annotated[str | None, Limits(maxLength=MAX_TEXT_LENGTH)] = None
    graduation_date: Annotated[str, MONTH_DOC] | None = None
    household_region_code: Annotated[str, REGION_CODE_DOC]
    household_region_name: RegionName = Field(None, description="户籍所在地名称，如太原市小店区")
    address: ShortText
    employment_certificate_no: ShortText
    start_date: DateText
    end_date: DateText
    attachment_ids: Annotated[list[Id], Limits(maxItems=MAX_ATTACHMENTS)]


class AttachmentView(CamelModel):
    attachment_id: Id
    kind: Label
    file_name: Annotated[str, Limits(maxLength=100)]
    content_type: Label
    size: Annotated[int, Limits(minimum=0, maximum=10 * 1024 * 1024, format="int32")]
    status: Label
    download_url: Annotated[str | None, Limits(maxLength=4096)] = None
    expires_at: Annotated[str | None, Limits(maxLength=40, format="date-time")] = None


class HistoryEntry(CamelModel):
    at: Timestamp
    action: Label
    actor: Label
    reason: Annotated[str | None, Limits(maxLength=500)] = None


class ApplicationDetail(CamelModel):
    application_id: Id
    reference_no: ReferenceNo
    status: ApplicationStatus
    status_label: Label
    submitted_at: Timestamp
    month: Annotated[str, MONTH_DOC]
    position: PositionRef
    region_code: Annotated[str, REGION_CODE_DOC] | None = Field(None, description="岗位所在地行政区划代码（决定属地）")
    region_name: RegionName = Field(None, description="岗位所在地名称，如太原市小店区")
    applicant: Applicant
    form: ApplicationForm
    attachments: Annotated[list[AttachmentView], Limits(maxItems=MAX_ATTACHMENTS)]
    history: Annotated[list[HistoryEntry], Limits(maxItems=100)]  # submission, decision or withdrawal, expiry
    copy_from: Annotated[str | None, Limits(maxLength=MAX_ID_LENGTH)] = None
    decided_at: Annotated[str | None, Limits(maxLength=40, format="date-time")] = None
    reason: Annotated[str | None, Limits(maxLength=500)] = None
    updated_at: Annotated[str | None, Limits(maxLength=40, format="date-time")] = None
    # 好差评 (``internship.ratings``): the case's ratings with their follow-ups, and whether it may be rated now.
    ratings: Annotated[list[RatingView], Field(max_length=2)] = Field(default_factory=list)
    can_rate: bool = Field(False, description="办结后可评价一次；差评回访办结后可再评价一次")


class WithdrawResponse(CamelModel):
    application_id: Id
    status: ApplicationStatus
    status_label: Label


class UnitApplicant(CamelModel):
    """One applicant to a host unit's position, as the unit sees them (申请人员): the ID number
    masked, the phone too until the application is APPROVED (then the unit calls them)."""

    application_id: Annotated[str, Field(max_length=64)]
    reference_no: Annotated[str, Field(max_length=32)]
    status: ApplicationStatus
    status_label: Annotated[str, Field(max_length=8)]
    submitted_at: Annotated[str, Field(max_length=40)]
    position_id: Annotated[str, Field(max_length=64)]
    position_title: Annotated[str, Field(max_length=200)]
    name: Annotated[str, Field(max_length=50)]
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC, Field(max_length=18)]
    education_level: Annotated[str, Field(max_length=50)]
    school: Annotated[str | None, Field(max_length=100)] = None
    major: Annotated[str | None, Field(max_length=100)] = None
    phone: Annotated[str, Field(max_length=11, description="手机号码：审核通过后完整显示，其余状态打码（138****5678）")]


class UnitApplicantPage(CamelModel):
    items: Annotated[list[UnitApplicant], Field(max_length=50)]
    next_cursor: Annotated[str | None, Field(max_length=2048)] = None
