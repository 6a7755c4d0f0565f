"""Send one message's SMS once, within the per-phone limit.

``send_once`` runs under the Powertools idempotency utility, keyed by the message id, in the
idempotency table: a change told twice (the same event delivered again, a retried queue message)
sends at most one SMS; a send that failed left no record, so the retry sends. What is stored there
is the message id's hash and the outcome, never the phone or the text.

The limit: at most ``SMS_HOURLY_LIMIT`` (5) SMS to one phone in one clock hour (Asia/Shanghai). One
conditional ``UpdateItem`` on ``SMSRATE#<hmac of the phone>#<yyyymmddhh>`` adds the message id to a
set while the set is smaller than the limit (or already holds it: a retry of the same message takes
no second place); the item expires after two hours. The phone is keyed by an HMAC under the identity
key, so the table never holds a phone that could be recovered by trying numbers.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import clock, keys
from internship.observability import logger, metrics
from internship.settings import get_settings
from internship.sms import platform
from internship.table import ConditionFailed, Table

RATE_TTL_SECONDS = 2 * 3600
IDEMPOTENCY_SECONDS = 4 * 24 * 3600  # as long as the queue keeps a message


class Outcome(StrEnum):
    SENT = "SENT"
    RATE_LIMITED = "RATE_LIMITED"  # the phone had its SMS this hour: the message alone tells it
    REFUSED = "REFUSED"  # the platform refused it for good


class SmsBusy(platform.SmsUnavailable):
    """The same message's SMS is being sent right now (a duplicate delivery): try again later."""


def claim(phone: str, message_id: str) -> bool:
    """Take one of the phone's places this hour for ``message_id`` (idempotent per message)."""
    from internship.auth.profiles import keyed_hash

    hour = clock.now().strftime("%Y%m%d%H")
    try:
        Table.main().update(
            keys.sms_rate(keyed_hash(phone), hour),
            "ADD sent :ids SET #ttl = :ttl",
            condition="attribute_not_exists(sent) OR size(sent) < :max OR contains(sent, :id)",
            names={"#ttl": keys.TTL},
            values={
                ":ids": {message_id},
                ":id": message_id,
                ":max": get_settings().sms_hourly_limit,
                ":ttl": int(time.time()) + RATE_TTL_SECONDS,
            },
        )
    except ConditionFailed:
        return False
    return True


def _send(message_id: str, phone: str, content: str) -> Outcome:
    if not claim(phone, message_id):
        metrics.add_metric(name="SmsRateLimited", unit=MetricUnit.Count, value=1)
        logger.info("sms not sent: the phone's hourly limit is reached", extra={"messageId": message_id})
        return Outcome.RATE_LIMITED
    try:
        platform.send(phone, content, message_id)
    except platform.SmsRefused as refused:
        metrics.add_metric(name="SmsRefused", unit=MetricUnit.Count, value=1)
        logger.warning("sms refused by the platform", extra={"messageId": message_id, "why": str(refused)})
        return Outcome.REFUSED
    metrics.add_metric(name="SmsSent", unit=MetricUnit.Count, value=1)
    logger.info("sms sent", extra={"messageId": message_id})
    return Outcome.SENT


def send_once(message_id: str, phone: str, content: str, lambda_context: Any = None) -> Outcome:
    """The SMS of one message, at most once; ``SmsUnavailable`` (retry later) when the platform did not take it."""
    from aws_lambda_powertools.utilities.idempotency import (
        IdempotencyConfig,
        idempotent_function,
    )
    from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

    from internship import idempotency

    persistence = idempotency.persistence()
    config = IdempotencyConfig(
        event_key_jmespath="sms",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=IDEMPOTENCY_SECONDS,
        use_local_cache=False,
    )
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)

    def once(*, request: dict[str, str]) -> str:
        return _send(message_id, phone, content).value

    run = idempotent_function(data_keyword_argument="request", persistence_store=persistence, config=config)(once)
    try:
        return Outcome(run(request={"sms": message_id}))
    except IdempotencyAlreadyInProgressError:
        raise SmsBusy("the SMS of this message is being sent") from None
