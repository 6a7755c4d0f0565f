"""审计记录查询 (IAM only): who read or decided which application, and when."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import access
from internship.api import Cursor, make_resolver, page_size
from internship.audit.models import AuditPage
from internship.audit.service import audit_trail
from internship.observability import lambda_entry
from internship.types import Month

app = make_resolver()

# An IAM user, role or role session ARN, ASCII and short enough for a DynamoDB key.
PRINCIPAL_ARN = r"^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:(user|role|assumed-role)/[!-~]{1,900}$"


@app.get(
    "/review/audit",
    summary="审计记录：按申请，或按审核人与月份（本辖区内的申请，最早的在前）",
    tags=["review"],
    operation_id="listAuditRecords",
)
def audit(
    application_id: Annotated[
        str | None, Query(alias="applicationId", min_length=1, max_length=64, description="申请编号")
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
    month: Annotated[Month | None, Query(description="月份 YYYY-MM（按审核人查询时必填）")] = None,
    limit: Annotated[int, page_size(100)] = 50,
    cursor: Cursor = None,
) -> AuditPage:
    return audit_trail(access.caller(app), application_id, principal_arn, month, limit, cursor)


lambda_handler = lambda_entry(app.resolve)
