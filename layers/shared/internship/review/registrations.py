"""就业创业证的审核: the bureau of the household register (户籍所在地) reviews registrations through the
same queue, audited full read and decision as applications (``review.service``: ``case_queue``,
``read_for_review``, ``decide_case``); an approval also issues the certificate
(``registrations.certificates``), in the decision's one transaction.

Issuing reads the region-and-year counter first, so two approvals in one place at one moment read
the same number: the one that commits takes it, the other's transaction is cancelled
(``SequenceMoved``, which says where the counter is now) and it tries the next number at once (a
few milliseconds of jitter apart), for up to ``ISSUE_SECONDS``; each round lets one approval of the
county through, so contenders queue behind each other rather than back off and starve; then 503
"busy" with nothing issued. Two approvals of one registration: the second finds it no longer
PENDING (409 ``NOT_PENDING``): one certificate.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from internship import clock, errors
from internship.applications.models import STATUS_LABELS
from internship.callers import Caller
from internship.cases import CaseKind
from internship.cases import repository as cases
from internship.cases.items import ApplicationStatus
from internship.observability import logger
from internship.registrations import certificates
from internship.registrations.items import Registration
from internship.registrations.models import (
    RegistrationDecisionResponse,
    ReviewRegistrationDetail,
    ReviewRegistrationItem,
    ReviewRegistrationPage,
)
from internship.registrations.service import registration_detail, summary_fields
from internship.review import repository
from internship.review.models import DecisionRequest
from internship.review.service import back_office_fields, case_queue, decide_case, queue_fields, read_for_review

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

KIND = CaseKind.REGISTRATION
ISSUE_SECONDS = 5.0  # within the function's 10-second timeout
ISSUE_JITTER_SECONDS = 0.01


def review_queue(
    who: Caller, status: ApplicationStatus, month: str | None, limit: int, cursor: str | None,
    region_code: str | None = None,
) -> ReviewRegistrationPage:  # fmt: skip
    """就业创业证申领的审核队列 of the caller's jurisdiction, oldest first."""
    items, next_cursor = case_queue(who, KIND, status, month, limit, cursor, region_code)
    return ReviewRegistrationPage(items=[_queue_item(Registration.of(item)) for item in items], next_cursor=next_cursor)


def _queue_item(item: Registration) -> ReviewRegistrationItem:
    return ReviewRegistrationItem(**queue_fields(summary_fields(item), item))


def review_detail(who: Caller, registration_id: str) -> ReviewRegistrationDetail:
    """The whole registration for a reviewer of its household register's place: the ID number unmasked."""
    stored, history, others = read_for_review(who, KIND, registration_id)
    item = Registration.of(stored)
    detail = registration_detail(item, history, back_office=True, others=others)
    return ReviewRegistrationDetail(**back_office_fields(detail, item))


def decide(who: Caller, registration_id: str, request: DecisionRequest) -> RegistrationDecisionResponse:
    """审核 of a registration: an approval issues the 就业创业证 with its number."""
    issued: dict[str, str] = {}

    def record(move: cases.Move, item: dict[str, Any], entry: TransactWriteItemTypeDef) -> None:
        if move.status is not ApplicationStatus.APPROVED:
            repository.record_decision(move, entry)
            return
        issued["certificateNo"] = _issue(move, item, entry)

    move = decide_case(who, KIND, registration_id, request, record)
    return RegistrationDecisionResponse(
        registration_id=registration_id,
        status=move.status,
        status_label=STATUS_LABELS[move.status],
        decided_at=move.at,
        reason=request.reason,
        certificate_no=issued.get("certificateNo"),
    )


def _issue(move: cases.Move, item: dict[str, Any], entry: TransactWriteItemTypeDef) -> str:
    """Approve and issue the next number of the household region and year, retrying while another
    approval takes the number tried (``SequenceMoved``); the certificate's number."""
    region_code, year = str(item["regionCode"]), clock.now().astimezone(clock.CST).strftime("%Y")
    last = certificates.last_issued(region_code, year)
    deadline, attempts = time.monotonic() + ISSUE_SECONDS, 0
    while True:
        attempts += 1
        issue = certificates.Issue(
            registration_id=move.case_id,
            person_id=move.person_id,
            kind=str(item.get("kind") or ""),
            region_code=region_code,
            year=year,
            sequence=last + 1,
            issued_at=move.at,
        )
        approval = replace(move, changes={"certificateNo": issue.certificate_no, "issuedAt": issue.issued_at})
        try:
            repository.record_decision(approval, entry, certificates.elements(issue), certificates.explain)
        except certificates.SequenceMoved as moved:
            if time.monotonic() > deadline:
                logger.warning(
                    "certificate still contended", extra={"registrationId": move.case_id, "attempts": attempts}
                )
                raise errors.ServiceUnavailable("该地区正在集中办理，请稍后再试") from None
            time.sleep(ISSUE_JITTER_SECONDS * random.random())  # noqa: S311 - jitter
            last = moved.last if moved.last is not None else certificates.last_issued(region_code, year)
            continue
        logger.info("certificate issued", extra={"registrationId": move.case_id, "attempts": attempts})
        return issue.certificate_no
