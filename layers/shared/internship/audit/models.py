"""Answers of ``GET /review/audit`` (审计记录查询). camelCase on the wire."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from internship.types import CamelModel

Text = Annotated[str, Field(max_length=2048)]
MaybeText = Annotated[str | None, Field(max_length=2048)]


class AuditRecord(CamelModel):
    """One access: who (a back-office identity, or a host unit and its operator), what, when, from
    where, under which request."""

    request_id: Text
    action: Literal[
        "READ_APPLICATION",
        "DECIDE_APPLICATION",
        "DECIDE_POSITION",
        "UNIT_READ_APPLICANT",
        "READ_REGISTRATION",
        "DECIDE_REGISTRATION",
    ] = Field(
        description="READ_APPLICATION 审核人员查看完整申请；DECIDE_APPLICATION 审核申请；"
        "DECIDE_POSITION 审核见习单位提交的岗位；UNIT_READ_APPLICANT 见习单位查看申请人员；"
        "READ_REGISTRATION 审核人员查看完整的就业创业证申领；DECIDE_REGISTRATION 审核就业创业证申领"
    )
    caller_kind: Literal["REVIEWER", "UNIT"] = Field("REVIEWER", description="REVIEWER 经办/审核人员；UNIT 见习单位")
    application_id: MaybeText = None
    position_id: MaybeText = None
    registration_id: MaybeText = Field(None, description="就业创业证申领（登记）编号")
    principal_arn: MaybeText = Field(None, description="经办/审核人员的 IAM ARN")
    unit_credit_code: MaybeText = Field(None, description="见习单位的统一社会信用代码")
    operator_name: MaybeText = Field(None, description="见习单位的经办人")
    at: Text
    decision: MaybeText = None
    jurisdiction: MaybeText = None
    region_code: MaybeText = Field(None, description="案件（申请或岗位）所在地行政区划代码")
    region_name: MaybeText = Field(None, description="案件所在地名称，如太原市小店区")
    source_ip: MaybeText = None


class AuditPage(CamelModel):
    items: Annotated[list[AuditRecord], Field(max_length=100)]
    next_cursor: MaybeText = None
