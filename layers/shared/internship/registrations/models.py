"""Request and response models of the 就业创业证 API (SPEC §4 "Registrations"). camelCase on the wire.

Identity (name, ID number, gender, birth date) is never part of a request: it comes from the login
profile. A registration's detail, history, attachments and ratings read as an application's do
(``applications.models``: the same ``Applicant``, ``AttachmentView``, ``HistoryEntry``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic.json_schema import JsonDict

from internship.applications.models import (
    Applicant,
    AttachmentView,
    Category,
    HistoryEntry,
    Identifier,
    OptionalText,
    PersonCategory,
    StatusFilter,
)
from internship.cases.items import ApplicationStatus
from internship.ratings.models import RatingView
from internship.registrations.certificates import CertificateView
from internship.registrations.items import RegistrationKind
from internship.review.models import ReviewApplicant
from internship.types import (
    ID_NUMBER_MASKED_DOC,
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
)

__all__ = ["Category", "CertificateView", "PersonCategory", "StatusFilter"]

ReferenceNo = Annotated[str, Limits(maxLength=32), Field(description="办件编号：DJ + 申报日期 + 6位数字")]
RegionName = Annotated[str | None, Limits(maxLength=64), Field(description="户籍所在地名称，如太原市小店区")]
Kind = Annotated[
    RegistrationKind,
    one_of(RegistrationKind, "登记类型应为求职登记（JOB_SEEKING）或失业登记（UNEMPLOYMENT）"),
    Field(description="JOB_SEEKING 求职登记（离校2年内未就业的高校、中职毕业生）；UNEMPLOYMENT 失业登记（16-24周岁）"),
]
MAX_ATTACHMENTS = 20

REGISTER_EXAMPLE: JsonDict = {
    "kind": "JOB_SEEKING",
    "phone": "13812345678",
    "educationLevel": "本科",
    "school": "山西大学",
    "major": "计算机科学与技术",
    "graduationDate": "2026-07",
    "householdRegionCode": "140105",
    "address": "太原市小店区坞城路92号",
    "attachmentIds": ["0f8e5d2c-6b1a-4c3e-8d7f-1a2b3c4d5e6f", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"],
}
UNEMPLOYMENT_EXAMPLE: JsonDict = {
    "kind": "UNEMPLOYMENT",
    "phone": "13934560002",
    "educationLevel": "高中",
    "householdRegionCode": "140106",
    "address": "太原市迎泽区迎泽大街100号",
    "unemployedSince": "2026-03-01",
    "attachmentIds": ["2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"],
}


class SubmitRegistrationRequest(CamelModel):
    """申领就业创业证: a 求职登记 or a 失业登记."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [REGISTER_EXAMPLE, UNEMPLOYMENT_EXAMPLE]})

    kind: Kind
    phone: Mobile
    education_level: Text
    # 求职登记: required (a rule: ``rules.form_problems``); 失业登记: optional.
    school: OptionalText = None
    major: OptionalText = None
    graduation_date: Annotated[Month | None, BeforeValidator(blank_to_none)] = Field(
        None, description="毕业时间 YYYY-MM（求职登记必填：离校2年内）"
    )
    household_region_code: RegionCode = Field(
        description="户籍所在区县的行政区划代码（6位，本省的区县）：由户籍所在地的人社部门审核并发证"
    )
    address: Text
    unemployed_since: Annotated[date | None, BeforeValidator(blank_to_none), Limits(maxLength=10)] = Field(
        None, description="失业时间 YYYY-MM-DD（失业登记必填，不晚于今天）"
    )
    attachment_ids: Annotated[list[Identifier], Field(max_length=MAX_ATTACHMENTS)] = Field(
        default_factory=list, description="已确认上传的附件：身份证（必需）；求职登记还需毕业证书"
    )
    # The detail's form carries the household region's name: a client sending it back is not refused.
    household_region_name: Any = Field(default=None, exclude=True, description="由系统根据代码填写，提交时忽略",
                                       json_schema_extra={"readOnly": True})  # fmt: skip


class SubmitRegistrationResponse(CamelModel):
    registration_id: Id
    reference_no: ReferenceNo
    status: ApplicationStatus
    status_label: Label
    message: Message


class RegistrationSummary(CamelModel):
    """One line of my registrations (我的办件: 就业创业证申领)."""

    registration_id: Id
    reference_no: ReferenceNo
    kind: RegistrationKind
    kind_label: Label = Field(description="求职登记或失业登记")
    status: ApplicationStatus
    status_label: Label
    submitted_at: Timestamp
    month: Annotated[str, MONTH_DOC, Limits(maxLength=7)]
    household_region_code: Annotated[str, REGION_CODE_DOC]
    household_region_name: RegionName = None
    certificate_no: Annotated[str | None, Limits(maxLength=18), Field(description="审核通过后发放的就业创业证编号")] = (
        None
    )


class RegistrationList(CamelModel):
    items: Annotated[list[RegistrationSummary], Limits(maxItems=50)]
    next_cursor: Annotated[str | None, Limits(maxLength=2048)] = None


class RegistrationForm(CamelModel):
    """The form as submitted (and as the portal pre-fills a new one from it)."""

    kind: RegistrationKind
    phone: Annotated[str, MOBILE_DOC]
    education_level: ShortText
    school: Annotated[str | None, Limits(maxLength=MAX_TEXT_LENGTH)] = None
    major: Annotated[str | None, Limits(maxLength=MAX_TEXT_LENGTH)] = None
    graduation_date: Annotated[str | None, MONTH_DOC, Limits(maxLength=7)] = None
    household_region_code: Annotated[str, REGION_CODE_DOC]
    household_region_name: RegionName = None
    address: ShortText
    unemployed_since: Annotated[DateText | None, Limits(maxLength=10)] = None
    attachment_ids: Annotated[list[Id], Limits(maxItems=MAX_ATTACHMENTS)]


class RegistrationDetail(CamelModel):
    registration_id: Id
    reference_no: ReferenceNo
    kind: RegistrationKind
    kind_label: Label
    status: ApplicationStatus
    status_label: Label
    submitted_at: Timestamp
    month: Annotated[str, MONTH_DOC, Limits(maxLength=7)]
    region_code: Annotated[str, REGION_CODE_DOC] = Field(description="户籍所在地行政区划代码（决定属地）")
    region_name: RegionName = None
    applicant: Applicant
    form: RegistrationForm
    attachments: Annotated[list[AttachmentView], Limits(maxItems=MAX_ATTACHMENTS)]
    history: Annotated[list[HistoryEntry], Limits(maxItems=10)]
    certificate: CertificateView | None = Field(None, description="审核通过后发放的就业创业证")
    decided_at: Annotated[str | None, Limits(maxLength=40, format="date-time")] = None
    reason: Annotated[str | None, Limits(maxLength=500)] = None
    updated_at: Annotated[str | None, Limits(maxLength=40, format="date-time")] = None
    ratings: Annotated[list[RatingView], Limits(maxItems=2)] = Field(default_factory=list)
    can_rate: bool = Field(False, description="办结后可评价一次；差评回访办结后可再评价一次")


class WithdrawRegistrationResponse(CamelModel):
    registration_id: Id
    status: ApplicationStatus
    status_label: Label


# --- back office ---------------------------------------------------------------------------------


class ReviewRegistrationItem(RegistrationSummary):
    """One line of the registrations' review queue: who registered (the ID number masked)."""

    applicant_name: Annotated[str, Limits(maxLength=50)]
    id_number_masked: Annotated[str, ID_NUMBER_MASKED_DOC, Limits(maxLength=18)]


class ReviewRegistrationPage(CamelModel):
    items: Annotated[list[ReviewRegistrationItem], Limits(maxItems=100)]
    next_cursor: Annotated[str | None, Limits(maxLength=2048)] = None


class ReviewRegistrationDetail(RegistrationDetail):
    """A registration as a reviewer of its household register's place sees it: the ID number unmasked."""

    applicant: ReviewApplicant  # type: ignore[assignment]
    person_id: Id
    decided_by: Annotated[str | None, Limits(maxLength=2048)] = None
    decided_jurisdiction: Annotated[
        str | None, Limits(maxLength=6), Field(description="作出审核决定的机构的管辖范围")
    ] = None


class RegistrationDecisionResponse(CamelModel):
    registration_id: Id
    status: ApplicationStatus
    status_label: Label
    decided_at: Timestamp
    reason: Annotated[str | None, Limits(maxLength=500)] = None
    certificate_no: Annotated[str | None, Limits(maxLength=18), Field(description="审核通过时发放的就业创业证编号")] = (
        None
    )


# --- 资格自查 ------------------------------------------------------------------------------------


class RegistrationInProgress(CamelModel):
    registration_id: Id
    kind: RegistrationKind
    status: ApplicationStatus


class ActiveApplication(CamelModel):
    application_id: Id
    status: ApplicationStatus


class EligibilityPath(CamelModel):
    """One way to the internship: a person category and the registration that gets its certificate."""

    person_category: PersonCategory
    registration: RegistrationKind = Field(
        description="取得就业创业证的途径：JOB_SEEKING 求职登记，UNEMPLOYMENT 失业登记"
    )
    eligible: bool | None = Field(description="true 符合；false 不符合；null 取决于尚未回答的问题（毕业时间）")
    reasons: Annotated[list[Annotated[str, Limits(maxLength=100)]], Limits(maxItems=4)]


class Eligibility(CamelModel):
    """资格自查: what the profile and the records already decide."""

    age: Annotated[int, Field(ge=0, le=150, description="周岁（按今天的北京时间，由身份证号计算）",
                              json_schema_extra={"format": "int32"})]  # fmt: skip
    graduation_date: Annotated[str | None, MONTH_DOC, Limits(maxLength=7)] = Field(
        None, description="据以判断的毕业时间（查询参数，未保存）"
    )
    certificate: CertificateView | None = Field(description="在本平台取得的就业创业证")
    registration: RegistrationInProgress | None = Field(description="未审核的就业创业证申领")
    active_application: ActiveApplication | None = Field(description="未审核或审核通过的就业见习申请")
    paths: Annotated[list[EligibilityPath], Limits(maxItems=8)]
