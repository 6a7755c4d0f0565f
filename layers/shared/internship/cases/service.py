"""Use cases every kind of case shares: its reference number (办件编号), a submission made once per
``Idempotency-Key``, the withdrawal (撤回), and the history as the citizen sees it.

DynamoDB round trips: a withdrawal is one call (``repository.withdraw``: no read first); an
idempotent submission adds the idempotency record's put and update to the submission's own.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import clock, errors, retention
from internship.cases import TYPES, CaseKind
from internship.cases.items import APPLICANT_ACTOR, ApplicationStatus, HistoryEntry
from internship.cases.repository import Move, ReferenceTaken
from internship.cases.repository import withdraw as withdraw_move
from internship.observability import logger, metrics

IDEMPOTENCY_SECONDS = 24 * 60 * 60
MAX_IDEMPOTENCY_KEY = 128
REFERENCE_ATTEMPTS = 3


def reference_number(kind: CaseKind, moment: datetime) -> str:
    """Human-readable and unique (guarded by its own item): the kind's prefix (``JX`` an application,
    ``DJ`` a registration) + yyyymmdd (CST) + 6 random digits."""
    return f"{TYPES[kind].reference_prefix}{moment.astimezone(clock.CST):%Y%m%d}{secrets.randbelow(1_000_000):06d}"


def write_new[Case](
    kind: CaseKind, case: Case, write: Callable[[Case], None], renumbered: Callable[[Case, str], Case], now: datetime
) -> Case:
    """Write a new case; when its random reference number is taken (rare), draw another (a few times)."""
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            write(case)
            return case
        except ReferenceTaken:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise errors.Conflict("系统繁忙，请稍后重新提交") from None
            case = renumbered(case, reference_number(kind, now))
    raise AssertionError("unreachable")


def submit_once(
    kind: CaseKind,
    person_id: str,
    form: Mapping[str, Any],
    idempotency_key: str | None,
    submit: Callable[[], dict[str, Any]],
    lambda_context: Any = None,
) -> dict[str, Any]:
    """``submit()``, once per ``Idempotency-Key``: a repeat (same person, same kind, same key, within
    24 hours) answers the first result and creates nothing; the same key with another ``form`` is
    422. Without a key, no idempotency record is written."""
    if idempotency_key is None:
        return submit()
    key = idempotency_key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise errors.ValidationFailed.on("Idempotency-Key", "幂等键应为1至128个字符")
    # Imported and built here, on the path that needs it: never at import time (cold start).
    from aws_lambda_powertools.utilities.idempotency import (
        IdempotencyConfig,
        idempotent_function,
    )
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    from internship import idempotency

    persistence = idempotency.persistence()  # a retried put meeting its own record is done (main's fix)
    config = IdempotencyConfig(
        event_key_jmespath="[personId, kind, key]",
        payload_validation_jmespath="form",
        expires_after_seconds=IDEMPOTENCY_SECONDS,
        use_local_cache=False,
    )
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)
    payload = {
        "personId": person_id,
        "kind": kind.value,
        "key": key,
        "form": hashlib.sha256(json.dumps(form, sort_keys=True).encode()).hexdigest(),
    }

    def submit_once(*, payload: dict[str, Any]) -> dict[str, Any]:
        return submit()

    run = idempotent_function(data_keyword_argument="payload", persistence_store=persistence, config=config)(
        submit_once
    )
    noun = TYPES[kind].noun
    try:
        return run(payload=payload)
    except IdempotencyAlreadyInProgressError:
        raise errors.Conflict(f"该{noun}正在提交中，请稍后在我的办件中查看") from None
    except IdempotencyValidationError:
        raise errors.ValidationFailed.on("Idempotency-Key", f"该幂等键已用于内容不同的{noun}") from None


def withdraw(kind: CaseKind, person_id: str, case_id: str) -> None:
    """撤回: the person's own PENDING case becomes WITHDRAWN, its guard released (one UpdateItem-only
    transaction: nothing is read first), and kept for the retention period from now."""
    now = clock.now()
    status = ApplicationStatus.WITHDRAWN
    move = Move(kind=kind, case_id=case_id, person_id=person_id, status=status, at=clock.iso(now),
                actor=APPLICANT_ACTOR, expires_at=retention.expires_at(status.value, now))  # fmt: skip
    withdraw_move(move)
    metrics.add_metric(name=f"{kind.value.title()}Withdrawn", unit=MetricUnit.Count, value=1)
    logger.info("case withdrawn", extra={TYPES[kind].id_field: case_id})


def citizen_actor(stored: str) -> str:
    """Who made a move, as the applicant sees it: ``APPLICANT`` or ``REVIEWER``, never a reviewer's
    IAM identity (an account id and possibly a staff member's name; SPEC §4 Review)."""
    return "APPLICANT" if stored == APPLICANT_ACTOR else "REVIEWER"


def history_view(history: list[HistoryEntry], *, back_office: bool = False) -> list[dict[str, Any]]:
    """The history of a case as its detail answers it (``{at, action, actor, reason}``): actors as the
    applicant sees them, unless ``back_office`` (which keeps the reviewer's ARN)."""
    return [
        {
            "at": h.at,
            "action": h.action,
            "actor": h.actor if back_office else citizen_actor(h.actor),
            "reason": h.reason,
        }
        for h in history
    ]
