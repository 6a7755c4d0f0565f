"""审计记录查询 (IAM only): who read or decided which application or position, and when."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship.api import Cursor, make_resolver, page_size
from internship.audit.models import AuditPage
from internship.audit.service import audit_trail
from internship.observability import lambda_entry
from internship.reviewers import jurisdiction
from internship.types import Month

app = make_resolver()

# An IAM user, role or role session ARN, ASCII and short enough for a DynamoDB key.
PRINCIPAL_ARN = r"^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:(user|role|assumed-role)/[!-~]{1,900}$"
CREDIT_CODE = r"^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$"


@app.get(
    "/review/audit",
    summary="审计记录：按申请、就业创业证申领、岗位，或按审核人（见习单位）与月份（本辖区内的案件，最早的在前）",
    tags=["review"],
    operation_id="listAuditRecords",
)
def audit(
    application_id: Annotated[
        str | None, Query(alias="applicationId", min_length=1, max_length=64, description="申请编号")
    ] = None,
    position_id: Annotated[
        str | None, Query(alias="positionId", min_length=1, max_length=64, description="岗位编号（岗位审核记录）")
    ] = None,
    registration_id: Annotated[
        str | None,
        Query(alias="registrationId", min_length=1, max_length=64, description="就业创业证申领（登记）编号"),
    ] = None,
    principal_arn: Annotated[
        str | None,
        Query(
            alias="principalArn",
            pattern=PRINCIPAL_ARN,
            max_length=1024,
            description="审核人的 IAM ARN（用户、角色或其会话）",
        ),
    ] = None,
    unit_credit_code: Annotated[
        str | None,
        Query(alias="unitCreditCode", pattern=CREDIT_CODE, max_length=18, description="见习单位的统一社会信用代码"),
    ] = None,
    month: Annotated[Month | None, Query(description="月份 YYYY-MM（按审核人或见习单位查询时必填）")] = None,
    limit: Annotated[int, page_size(100)] = 50,
    cursor: Cursor = None,
) -> AuditPage:
    return audit_trail(
        jurisdiction.on_duty(app),
        application_id=application_id,
        position_id=position_id,
        registration_id=registration_id,
        principal_arn=principal_arn,
        unit_credit_code=unit_credit_code,
        month=month,
        limit=limit,
        cursor=cursor,
    )


lambda_handler = lambda_entry(app.resolve)
