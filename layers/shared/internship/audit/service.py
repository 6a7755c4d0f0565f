"""审计记录查询: the audit trail by case (an application, a registration or a position) or by who and month (a
principal, or a host unit), one Query each, of the cases inside the caller's jurisdiction (属地审核,
``internship.reviewers.jurisdiction``): a city sees what was read and decided about its own cases,
whoever did it; the province sees everything."""

from __future__ import annotations

from internship import errors, regions
from internship.audit import repository
from internship.audit.models import AuditPage, AuditRecord
from internship.callers import Caller

ONE_OR_THE_OTHER = "请按申请编号、登记编号、岗位编号，或按审核人（见习单位）与月份查询"
MONTH_REQUIRED = "按审核人或见习单位查询时必须填写月份"
NOT_BOTH = "只能按一种方式查询"


def audit_trail(
    who: Caller,
    *,
    application_id: str | None = None,
    position_id: str | None = None,
    registration_id: str | None = None,
    principal_arn: str | None = None,
    unit_credit_code: str | None = None,
    month: str | None = None,
    limit: int,
    cursor: str | None,
) -> AuditPage:
    # The province's jurisdiction is every case, also one stored before cases had a region: unfiltered.
    within = None if who.jurisdiction == regions.PROVINCE else who.jurisdiction
    by_case = {"applicationId": repository.APPLICATION, "registrationId": repository.REGISTRATION,
               "positionId": repository.POSITION}  # fmt: skip
    asked = [(name, value) for name, value in (("applicationId", application_id), ("positionId", position_id),
             ("registrationId", registration_id), ("principalArn", principal_arn),
             ("unitCreditCode", unit_credit_code)) if value]  # fmt: skip
    if len(asked) > 1 or (month and asked and asked[0][0] in by_case):
        raise errors.ValidationFailed.on(asked[0][0], NOT_BOTH)
    if not asked:
        raise errors.ValidationFailed.on("applicationId", ONE_OR_THE_OTHER)
    ((name, value),) = asked
    if name in by_case:
        index, partition = "GSI1", repository.by_subject(by_case[name], value)
    elif not month:
        raise errors.ValidationFailed.on("month", MONTH_REQUIRED)
    elif name == "principalArn":
        index, partition = "GSI2", repository.by_principal(value, month)
    else:
        index, partition = "GSI2", repository.by_unit(value, month)
    entries, next_cursor = repository.query(index, partition, within, limit, cursor)
    records = [
        AuditRecord.model_validate({**entry.answer(), "regionName": regions.name_of(entry.region_code)})
        for entry in entries
    ]
    return AuditPage(items=records, next_cursor=next_cursor)
