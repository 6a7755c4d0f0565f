"""申请人员: the applicants to a host unit's positions, as the unit sees them (``GET /unit/applications``).

One Query on the unit's applicants (or one position's), in every status or one, reading exactly
what it answers (``repository.applicants_scope``): the position's partition is named by the unit's
credit code too, so a unit asking for another's position reads an empty partition; only then is the
position read, to answer 404 for another's (never "empty"). Every line is a read of personal data
by someone outside the bureau, so each is an audit record (``internship.audit``, written before the
answer: no record, no data), like a reviewer's read. The ID number is masked; the phone too, until
the application is APPROVED.
"""

from __future__ import annotations

from internship import audit, checks, errors
from internship.applications import repository
from internship.applications.items import Application, ApplicationStatus
from internship.applications.models import STATUS_LABELS, UnitApplicant, UnitApplicantPage
from internship.callers import Caller
from internship.observability import logger
from internship.positions import repository as positions

NO_SUCH_POSITION = "未找到该见习岗位"


def unit_applicants(
    unit: Caller, position_id: str | None, status: ApplicationStatus | None, limit: int, cursor: str | None
) -> UnitApplicantPage:
    scope = repository.applicants_scope(unit.unit_credit_code, position_id, status)
    items, next_cursor = repository.page(scope, limit, cursor)
    if position_id and not items and not cursor:
        position = positions.get(position_id)
        if position is None or position.unit_credit_code != unit.unit_credit_code:
            raise errors.NotFound(NO_SUCH_POSITION)
    audit.record_all([audit.AuditEntry(audit.UNIT_READ, item.application_id, unit, item.region_code) for item in items])
    if items:
        logger.info("applicants read by a unit", extra={"count": len(items), "who": unit.actor})
    return UnitApplicantPage(items=[_applicant(item) for item in items], next_cursor=next_cursor)


def _applicant(item: Application) -> UnitApplicant:
    phone = str(item.form.get("phone") or "")
    return UnitApplicant(
        application_id=item.application_id,
        reference_no=item.reference_no,
        status=ApplicationStatus(item.status),
        status_label=STATUS_LABELS[item.status],
        submitted_at=item.submitted_at,
        position_id=item.position_id,
        position_title=item.position_title,
        name=str(item.applicant.get("name", "")),
        id_number_masked=checks.mask_id_number(str(item.applicant.get("idNumber", ""))),
        education_level=str(item.form.get("educationLevel") or ""),
        school=item.form.get("school") or None,
        major=item.form.get("major") or None,
        phone=phone if item.status == ApplicationStatus.APPROVED else checks.mask_phone(phone),
    )
