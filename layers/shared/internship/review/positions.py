"""岗位审核: the bureau of a position's place reviews what host units publish (SPEC §4 Positions).

``review_queue`` lists, oldest submitted first, the new positions and the changes to published ones
awaiting review (or rejected) in the caller's jurisdiction, one Query per place like the
applications' queue. ``decide`` approves or rejects one: a new position becomes OPEN (in the
catalogue from then) or REJECTED with the reason shown to the unit; an approved change replaces the
published text in one step, a rejected one keeps its reason. Outside the jurisdiction a position
does not exist (404). Each decision is audited in its own transaction (``internship.audit``).
"""

from __future__ import annotations

import time

from aws_lambda_powertools.metrics import MetricUnit

from internship import audit, clock, errors
from internship.callers import Caller
from internship.observability import logger, metrics
from internship.positions import repository
from internship.positions.items import PositionStatus, RevisionItem
from internship.review.models import (
    REASON_REQUIRED,
    Decision,
    DecisionRequest,
    PositionDecisionResponse,
    ReviewPosition,
    ReviewPositionPage,
)
from internship.reviewers import jurisdiction

NOTHING_TO_REVIEW = "该岗位没有待审核的内容"


def review_queue(
    who: Caller, status: PositionStatus, limit: int, cursor: str | None, region_code: str | None = None
) -> ReviewPositionPage:
    """岗位审核队列: what units ask to publish in the caller's jurisdiction (or a place inside it)."""
    if status not in {PositionStatus.PENDING_REVIEW, PositionStatus.REJECTED}:
        raise errors.ValidationFailed.on("status", "岗位审核队列的状态应为待审核或未通过")
    scope = repository.review_scope(jurisdiction.scope(who, region_code), status)
    items, next_cursor = repository.review_page(scope, limit, cursor)
    return ReviewPositionPage(items=[_line(item) for item in items], next_cursor=next_cursor)


def _line(item: repository.PositionItem | RevisionItem) -> ReviewPosition:
    if isinstance(item, RevisionItem):
        return ReviewPosition.model_validate({**item.answer(), "positionId": item.position_id, "revision": True})
    answer = {**item.answer(), "submittedAt": item.submitted_at or item.created_at, "reason": item.reason}
    return ReviewPosition.model_validate({**answer, "revision": False})


def decide(who: Caller, position_id: str, request: DecisionRequest) -> PositionDecisionResponse:
    """审核 a host unit's new position or its change to a published one, in the caller's jurisdiction."""
    if request.decision is Decision.REJECTED and not request.reason:
        raise errors.ValidationFailed.on("reason", REASON_REQUIRED)
    position, revision = repository.get_with_revision(position_id)
    if position is None:
        raise errors.NotFound(repository.NOT_FOUND)
    jurisdiction.require_visible(who, position.region_code, repository.NOT_FOUND)
    pending_revision = revision if revision is not None and revision.status == PositionStatus.PENDING_REVIEW else None
    if position.status is not PositionStatus.PENDING_REVIEW and pending_revision is None:
        raise errors.NotPending(NOTHING_TO_REVIEW)
    approved = request.decision is Decision.APPROVED
    at = clock.iso(clock.now())
    entry = audit.AuditEntry(audit.POSITION_DECISION, position_id, who, position.region_code, request.decision, at)
    after = repository.decide(
        position,
        pending_revision if position.status is PositionStatus.OPEN else None,
        approved=approved,
        reason=request.reason,
        at=at,
        by=who.principal,
        jurisdiction=who.jurisdiction,
        audit=audit.element(entry),
        now=int(time.time()),
    )
    metrics.add_metric(name="PositionApproved" if approved else "PositionRejected", unit=MetricUnit.Count, value=1)
    logger.info("position decided", extra={"positionId": position_id, "decision": request.decision.value})
    return PositionDecisionResponse(
        position_id=position_id,
        revision=position.status is PositionStatus.OPEN,
        decision=request.decision,
        status=after.status,
        decided_at=at,
        reason=request.reason,
    )
