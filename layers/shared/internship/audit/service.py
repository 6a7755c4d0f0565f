"""审计记录查询: the audit trail by application, or by principal and month (one Query each), of
the applications inside the caller's jurisdiction (属地审核, ``internship.access``): a city sees what
was read and decided about its own cases, whoever did it; the province sees everything."""

from __future__ import annotations

from internship import access, errors, regions
from internship.audit import repository
from internship.audit.models import AuditPage, AuditRecord

ONE_OR_THE_OTHER = "请按申请编号，或按审核人与月份查询"
MONTH_REQUIRED = "按审核人查询时必须填写月份"
NOT_BOTH = "按申请编号或按审核人查询，只能选其一"


def audit_trail(
    who: access.Caller,
    application_id: str | None,
    principal_arn: str | None,
    month: str | None,
    limit: int,
    cursor: str | None,
) -> AuditPage:
    # The province's jurisdiction is every case, also one stored before cases had a region: unfiltered.
    within = None if who.jurisdiction == regions.PROVINCE else who.jurisdiction
    if application_id and (principal_arn or month):
        raise errors.ValidationFailed.on("applicationId", NOT_BOTH)
    if application_id:
        entries, next_cursor = repository.query(
            "GSI1", repository.by_application(application_id), within, limit, cursor
        )
    elif principal_arn and month:
        entries, next_cursor = repository.query(
            "GSI2", repository.by_principal(principal_arn, month), within, limit, cursor
        )
    elif principal_arn:
        raise errors.ValidationFailed.on("month", MONTH_REQUIRED)
    else:
        raise errors.ValidationFailed.on("applicationId", ONE_OR_THE_OTHER)
    return AuditPage(items=[AuditRecord.model_validate(entry.answer()) for entry in entries], next_cursor=next_cursor)
