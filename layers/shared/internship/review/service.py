"""Review (审核) logic: the queue, the full record for a reviewer, and the decision.

The rules that must hold under races (PENDING only, headcount, one active application) are
conditions of the decision's transaction in ``repository``; this module shapes answers.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import checks, clock, errors
from internship.applications import repository as applications_repository
from internship.applications.models import STATUS_LABELS, ApplicationStatus
from internship.applications.service import application_detail, summary_fields
from internship.observability import logger, metrics
from internship.review import repository
from internship.review.models import (
    REASON_REQUIRED,
    Decision,
    DecisionRequest,
    DecisionResponse,
    ReviewApplicant,
    ReviewApplicationDetail,
    ReviewQueueItem,
    ReviewQueuePage,
)

_METRICS = {Decision.APPROVED: "ApplicationApproved", Decision.REJECTED: "ApplicationRejected"}
_NOT_FOUND = "未找到该申请"


def review_queue(status: ApplicationStatus, month: str | None, limit: int, cursor: str | None) -> ReviewQueuePage:
    """审核队列: applications in one status (and month), oldest first."""
    page = repository.queue(status.value, month, limit, cursor)
    return ReviewQueuePage(items=[_queue_item(item) for item in page.items], next_cursor=page.next_cursor)


def _queue_item(item: dict[str, Any]) -> ReviewQueueItem:
    applicant = item.get("applicant") or {}
    return ReviewQueueItem(
        **summary_fields(item),
        applicant_name=applicant.get("name", ""),
        id_number_masked=checks.mask_id_number(applicant.get("idNumber", "")),
    )


def review_detail(application_id: str) -> ReviewApplicationDetail:
    """The whole record for a reviewer: the applicant's detail with the ID number unmasked."""
    item, history = applications_repository.read_with_history(application_id)
    if item is None:
        raise errors.NotFound(_NOT_FOUND)
    detail = application_detail(item, history, back_office=True)
    applicant = item.get("applicant") or {}
    return ReviewApplicationDetail(
        **{name: getattr(detail, name) for name in type(detail).model_fields if name != "applicant"},
        applicant=ReviewApplicant(
            name=detail.applicant.name,
            id_number=str(applicant.get("idNumber", "")),
            gender=detail.applicant.gender,
            birth_date=detail.applicant.birth_date,
        ),
        person_id=item["personId"],
        decided_by=item.get("decidedBy"),
    )


def decide(application_id: str, request: DecisionRequest, principal: str) -> DecisionResponse:
    """审核: approve or reject a PENDING application, as ``principal`` (the IAM caller)."""
    if request.decision is Decision.REJECTED and not request.reason:
        raise errors.ValidationFailed.on("reason", REASON_REQUIRED)
    item = repository.get_application(application_id)
    if item is None:
        raise errors.NotFound(_NOT_FOUND)
    if item.get("status") != ApplicationStatus.PENDING:
        raise errors.NotPending()
    at = clock.iso(clock.now())
    repository.record_decision(
        repository.DecisionWrite(
            application_id=application_id,
            person_id=item["personId"],
            position_id=item["positionId"],
            decision=request.decision.value,
            reason=request.reason,
            principal=principal,
            at=at,
        )
    )
    metrics.add_metric(name=_METRICS[request.decision], unit=MetricUnit.Count, value=1)
    logger.info("application decided", extra={"applicationId": application_id, "decision": request.decision.value})
    return DecisionResponse(
        application_id=application_id,
        status=ApplicationStatus(request.decision.value),
        status_label=STATUS_LABELS[request.decision.value],
        decided_at=at,
        reason=request.reason,
    )
