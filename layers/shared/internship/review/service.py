"""Review (审核) logic: the queue, the full record for a reviewer, the decision and the counts.

Everything acts within the caller's jurisdiction (``internship.access``): outside it an application
does not exist (404). The rules that must hold under races (PENDING only, headcount, one active
application) are conditions of the decision's transaction in ``repository``; this module shapes
answers.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from internship import access, audit, checks, clock, errors, regions, retention
from internship.applications import repository as applications
from internship.applications.items import Application
from internship.applications.models import STATUS_LABELS, ApplicationStatus
from internship.applications.service import application_detail, summary_fields
from internship.events import counts
from internship.observability import logger, metrics
from internship.review import repository
from internship.review.models import (
    REASON_REQUIRED,
    Decision,
    DecisionRequest,
    DecisionResponse,
    RegionCounts,
    ReviewApplicant,
    ReviewApplicationDetail,
    ReviewQueueItem,
    ReviewQueuePage,
    ReviewStats,
)

_METRICS = {Decision.APPROVED: "ApplicationApproved", Decision.REJECTED: "ApplicationRejected"}
_NOT_FOUND = "未找到该申请"


def review_queue(
    who: access.Caller,
    status: ApplicationStatus,
    month: str | None,
    limit: int,
    cursor: str | None,
    region_code: str | None = None,
) -> ReviewQueuePage:
    """审核队列: the caller's applications (or those of a region inside its jurisdiction) in one
    status (and month), oldest first."""
    scope = applications.queue_scope(access.scope(who, region_code), status.value, month)
    items, next_cursor = applications.queue_page(scope, limit, cursor)
    return ReviewQueuePage(items=[_queue_item(item) for item in items], next_cursor=next_cursor)


def _queue_item(item: Application) -> ReviewQueueItem:
    return ReviewQueueItem(
        **summary_fields(item),
        applicant_name=item.applicant.get("name", ""),
        id_number_masked=checks.mask_id_number(item.applicant.get("idNumber", "")),
    )


def review_detail(who: access.Caller, application_id: str, caller: audit.Caller) -> ReviewApplicationDetail:
    """The whole record for a reviewer of its jurisdiction: the applicant's detail with the ID number unmasked.

    The read is recorded in the audit trail before anything is answered: no record, no data."""
    item, history = applications.read_with_history(application_id)
    if item is None:
        raise errors.NotFound(_NOT_FOUND)
    access.require_visible(who, item.region_code, _NOT_FOUND)
    audit.record(audit.AuditEntry(audit.READ, application_id, caller, who.jurisdiction, item.region_code))
    detail = application_detail(item, history, back_office=True)
    return ReviewApplicationDetail(
        **{name: getattr(detail, name) for name in type(detail).model_fields if name != "applicant"},
        applicant=ReviewApplicant(
            name=detail.applicant.name,
            id_number=str(item.applicant.get("idNumber", "")),
            gender=detail.applicant.gender,
            birth_date=detail.applicant.birth_date,
        ),
        person_id=item.person_id,
        decided_by=item.decided_by,
        decided_jurisdiction=item.decided_jurisdiction,
    )


def decide(who: access.Caller, application_id: str, request: DecisionRequest, caller: audit.Caller) -> DecisionResponse:
    """审核: approve or reject a PENDING application of the caller's jurisdiction, recording who
    (the IAM principal) and in which jurisdiction."""
    if request.decision is Decision.REJECTED and not request.reason:
        raise errors.ValidationFailed.on("reason", REASON_REQUIRED)
    item = applications.get(application_id)
    if item is None:
        raise errors.NotFound(_NOT_FOUND)
    access.require_visible(who, item.region_code, _NOT_FOUND)
    if item.status != ApplicationStatus.PENDING:
        raise errors.NotPending()
    now = clock.now()
    at = clock.iso(now)
    status = ApplicationStatus(request.decision.value)
    move = applications.Move(
        application_id=application_id,
        person_id=item.person_id,
        status=status,
        at=at,
        actor=who.principal,
        expires_at=retention.expires_at(status, now, item.form.get("endDate")),
        region_code=item.region_code,
        listing=item.listing,
        jurisdiction=who.jurisdiction,
        reason=request.reason,
    )
    entry = audit.AuditEntry(audit.DECISION, application_id, caller, jurisdiction=who.jurisdiction,
                             region_code=item.region_code, decision=status, at=at)  # fmt: skip
    repository.record_decision(move, item.position_id, audit.element(entry))
    metrics.add_metric(name=_METRICS[request.decision], unit=MetricUnit.Count, value=1)
    logger.info("application decided", extra={"applicationId": application_id, "decision": request.decision.value})
    return DecisionResponse(
        application_id=application_id,
        status=status,
        status_label=STATUS_LABELS[status],
        decided_at=at,
        reason=request.reason,
    )


def review_stats(who: access.Caller, month: str | None, region_code: str | None = None) -> ReviewStats:
    """审核统计: applications of the caller's jurisdiction (or a region inside it) submitted in
    ``month`` (default: this month), by status, and by city or county below it. One GetItem of the
    counts the stream consumer keeps (``internship.events.counts``)."""
    prefix = access.scope(who, region_code)
    month = month or clock.month_of(clock.now())
    item = counts.read(prefix, month)
    by_status = {status: int(item.get(status.value, 0)) for status in ApplicationStatus}
    below: dict[str, dict[ApplicationStatus, int]] = {}
    for name, value in item.items():
        region, _, status = name.partition("#")
        if status in ApplicationStatus.__members__ and region.isdigit():
            below.setdefault(region, dict.fromkeys(ApplicationStatus, 0))[ApplicationStatus(status)] = int(value)
    if len(prefix) == 2:  # every city, also those with nothing yet
        for city in regions.CITIES:
            if city.startswith(prefix):
                below.setdefault(city, dict.fromkeys(ApplicationStatus, 0))
    return ReviewStats(
        region_prefix=prefix,
        month=month,
        by_status=by_status,
        total=sum(by_status.values()),
        by_region=[
            RegionCounts(
                region_code=region,
                name=regions.name_of(region),
                by_status=counts,
                total=sum(counts.values()),
            )
            for region, counts in sorted(below.items())
        ],
    )
