"""Administration of back-office identities' jurisdictions (``/manage/reviewers``).

Which identities may call these routes is the deployer's IAM policy on ``execute-api`` (SPEC §4);
the service only checks what it is told. A role is registered once for all its sessions
(``jurisdiction.principal_key``).
"""

from __future__ import annotations

from urllib.parse import unquote

from internship import clock, errors
from internship.observability import logger
from internship.reviewers import jurisdiction, repository
from internship.reviewers.models import Reviewer, ReviewerInput, ReviewerPage

NOT_FOUND = "未找到该账号的管辖范围设置"
ARN_MESSAGE = "应为 IAM 用户或角色的 ARN，如 arn:aws:iam::123456789012:user/taiyuan"


def _principal(principal_arn: str) -> str:
    # The ARN's "/" travels percent-encoded (%2F) in the path; API Gateway may hand it over either way.
    principal_arn = unquote(principal_arn)
    if not jurisdiction.PRINCIPAL.match(principal_arn.strip()):
        raise errors.ValidationFailed.on("principalArn", ARN_MESSAGE)
    return jurisdiction.principal_key(principal_arn)


def _answer(item: repository.ReviewerItem) -> Reviewer:
    return Reviewer.model_validate(item.answer())


def assign(principal_arn: str, body: ReviewerInput, *, by: str) -> Reviewer:
    """Set (or change) the jurisdiction of an identity."""
    principal = _principal(principal_arn)
    item = repository.ReviewerItem(principal, body.jurisdiction, body.name, clock.iso(clock.now()), by)
    repository.put(item)
    logger.info("jurisdiction assigned", extra={"principalArn": principal, "jurisdiction": body.jurisdiction})
    return _answer(item)


def revoke(principal_arn: str, *, by: str) -> None:
    principal = _principal(principal_arn)
    if not repository.delete(principal):
        raise errors.NotFound(NOT_FOUND)
    logger.info("jurisdiction revoked", extra={"principalArn": principal, "by": by})


def list_reviewers(limit: int, cursor: str | None) -> ReviewerPage:
    items, next_cursor = repository.page(limit, cursor)
    return ReviewerPage(items=[_answer(item) for item in items], next_cursor=next_cursor)
