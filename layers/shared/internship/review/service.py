"""Review (审核) logic: the queue, the full record for a reviewer, the decision and the counts.

Every kind of case (an application, a registration for the 就业创业证) is reviewed the same way, by
``case_queue``, ``read_for_review`` and ``decide_case`` here, within the caller's jurisdiction
(``internship.reviewers.jurisdiction``): outside it a case does not exist (404). The rules that must
hold under races (PENDING only, headcount, one active case, one certificate) are conditions of the
decision's transaction (``repository``); this module shapes answers, and audits every full read and
every decision (``internship.audit``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import audit, checks, clock, errors, keys, regions, retention
from internship.applications.items import Application
from internship.applications.models import STATUS_LABELS, ApplicationStatus
from internship.applications.service import application_detail, summary_fields
from internship.callers import Caller
from internship.cases import TYPES, CaseKind
from internship.cases import repository as cases
from internship.cases.items import HistoryEntry
from internship.events import counts
from internship.observability import logger, metrics
from internship.review import repository
from internship.review.models import (
    REASON_REQUIRED,
    Decision,
    DecisionRequest,
    DecisionResponse,
    RatingCounts,
    RegionCounts,
    ReviewApplicant,
    ReviewApplicationDetail,
    ReviewQueueItem,
    ReviewQueuePage,
    ReviewStats,
)
from internship.reviewers import jurisdiction

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# Records the decision: the move, the case as read, the audit record's element (``repository``).
Record = Callable[[cases.Move, dict[str, Any], "TransactWriteItemTypeDef"], None]


# --- every kind of case --------------------------------------------------------------------------


def case_queue(
    who: Caller, kind: CaseKind, status: ApplicationStatus, month: str | None, limit: int, cursor: str | None,
    region_code: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:  # fmt: skip
    """审核队列: the caller's cases of a kind (or those of a region inside its jurisdiction) in one
    status (and month), oldest first."""
    scope = cases.queue_scope(kind, jurisdiction.scope(who, region_code), status.value, month)
    return cases.queue_page(scope, limit, cursor)


def read_for_review(
    who: Caller, kind: CaseKind, case_id: str
) -> tuple[dict[str, Any], list[HistoryEntry], list[dict[str, Any]]]:
    """The whole record of a case of the caller's jurisdiction (its item, history and other items).

    The read is recorded in the audit trail before anything is answered: no record, no data."""
    item, history, others = cases.read_case(kind, case_id)
    not_found = TYPES[kind].not_found
    if item is None:
        raise errors.NotFound(not_found)
    region_code = str(item.get("regionCode") or "")
    jurisdiction.require_visible(who, region_code, not_found)
    audit.record(audit.AuditEntry(audit.READS[kind.value], case_id, who, region_code))
    return item, history, others


def decide_case(who: Caller, kind: CaseKind, case_id: str, request: DecisionRequest, record: Record) -> cases.Move:
    """审核: approve or reject a PENDING case of the caller's jurisdiction, recording who (the IAM
    principal) and in which jurisdiction; ``record`` writes it with what the kind adds."""
    if request.decision is Decision.REJECTED and not request.reason:
        raise errors.ValidationFailed.on("reason", REASON_REQUIRED)
    kind_type = TYPES[kind]
    item = cases.get(kind, case_id)
    if item is None:
        raise errors.NotFound(kind_type.not_found)
    region_code = str(item.get("regionCode") or "")
    jurisdiction.require_visible(who, region_code, kind_type.not_found)
    if item.get("status") != ApplicationStatus.PENDING:
        raise errors.NotPending(f"该{kind_type.noun}已不是未审核状态")
    now = clock.now()
    at = clock.iso(now)
    status = ApplicationStatus(request.decision.value)
    move = cases.Move(
        kind=kind,
        case_id=case_id,
        person_id=str(item["personId"]),
        status=status,
        at=at,
        actor=who.principal,
        expires_at=retention.expires_at(status, now, (item.get("form") or {}).get("endDate")),
        region_code=region_code,
        listing=keys.listing_sk(str(item["submittedAt"]), case_id),
        jurisdiction=who.jurisdiction,
        reason=request.reason,
    )
    entry = audit.AuditEntry(audit.DECISIONS[kind.value], case_id, who, region_code, decision=status, at=at)
    record(move, item, audit.element(entry))
    metrics.add_metric(name=f"{kind.value.title()}{status.value.title()}", unit=MetricUnit.Count, value=1)
    logger.info("case decided", extra={kind_type.id_field: case_id, "decision": request.decision.value})
    return move


# --- applications --------------------------------------------------------------------------------


def review_queue(
    who: Caller,
    status: ApplicationStatus,
    month: str | None,
    limit: int,
    cursor: str | None,
    region_code: str | None = None,
) -> ReviewQueuePage:
    """审核队列 of applications."""
    items, next_cursor = case_queue(who, CaseKind.APPLICATION, status, month, limit, cursor, region_code)
    return ReviewQueuePage(items=[_queue_item(Application.of(item)) for item in items], next_cursor=next_cursor)


def _queue_item(item: Application) -> ReviewQueueItem:
    return ReviewQueueItem(**queue_fields(summary_fields(item), item))


def queue_fields(summary: dict[str, Any], item: Any) -> dict[str, Any]:
    """One line of a review queue, of any kind: the case's summary (``summary``) and who it is, from the
    stored case (``item``), the ID number masked."""
    return {
        **summary,
        "applicant_name": str(item.applicant.get("name", "")),
        "id_number_masked": checks.mask_id_number(str(item.applicant.get("idNumber", ""))),
    }


def review_detail(who: Caller, application_id: str) -> ReviewApplicationDetail:
    """The whole record for a reviewer of its jurisdiction: the applicant's detail with the ID number unmasked."""
    stored, history, others = read_for_review(who, CaseKind.APPLICATION, application_id)
    item = Application.of(stored)
    detail = application_detail(item, history, back_office=True, others=others)
    return ReviewApplicationDetail(**back_office_fields(detail, item))


def back_office_fields(detail: Any, item: Any) -> dict[str, Any]:
    """A case's detail as a reviewer reads it, of any kind: the citizen's detail (``detail``) with the ID
    number of the stored case (``item``) unmasked, its person and who decided it."""
    return {
        **{name: getattr(detail, name) for name in type(detail).model_fields if name != "applicant"},
        "applicant": ReviewApplicant(
            name=detail.applicant.name,
            id_number=str(item.applicant.get("idNumber", "")),
            gender=detail.applicant.gender,
            birth_date=detail.applicant.birth_date,
        ),
        "person_id": item.person_id,
        "decided_by": item.decided_by,
        "decided_jurisdiction": item.decided_jurisdiction,
    }


def decide(who: Caller, application_id: str, request: DecisionRequest) -> DecisionResponse:
    """审核 of an application: an approval takes a place of its position."""

    def record(move: cases.Move, item: dict[str, Any], entry: TransactWriteItemTypeDef) -> None:
        repository.decide_application(move, str(item.get("positionId", "")), entry)

    move = decide_case(who, CaseKind.APPLICATION, application_id, request, record)
    return DecisionResponse(
        application_id=application_id,
        status=move.status,
        status_label=STATUS_LABELS[move.status],
        decided_at=move.at,
        reason=request.reason,
    )


def review_stats(who: Caller, month: str | None, region_code: str | None = None) -> ReviewStats:
    """审核统计: applications of the caller's jurisdiction (or a region inside it) submitted in
    ``month`` (default: this month), by status, and by city or county below it; and the 好差评 given
    in that month, by level. One GetItem of the
    counts the stream consumer keeps (``internship.events.counts``)."""
    prefix = jurisdiction.scope(who, region_code)
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
    levels = {str(level): int(item.get(f"{counts.RATING}{level}", 0)) for level in range(1, 6)}
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
        ratings=RatingCounts(by_level=levels, total=sum(levels.values())),
    )
