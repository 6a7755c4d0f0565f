"""Puts domain events on the EventBridge bus and keeps the review counts; a failure fails its stream record.

Like the authorizer, free of pydantic (SPEC §7): the publisher is plumbing with no request to
validate; the bus name comes from ``internship.settings`` (a dataclass), on first use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from internship import aws, dynamo
from internship.events import counts
from internship.events.derive import SOURCE, DomainEvent, domain_event, expired_case_id
from internship.observability import logger
from internship.settings import get_settings


class PublishFailed(RuntimeError):
    """EventBridge did not take the entry; the record is retried (then sent to the failure queue)."""


def publish(event: DomainEvent) -> None:
    response = aws.events().put_events(
        Entries=[
            {
                "Source": SOURCE,
                "DetailType": event.detail_type,
                "Detail": json.dumps(event.detail, ensure_ascii=False),
                "EventBusName": get_settings().event_bus_name,
            }
        ]
    )
    if response.get("FailedEntryCount"):
        entry = (response.get("Entries") or [{}])[0]
        raise PublishFailed(f"{event.detail_type}: {entry.get('ErrorCode', 'unknown error')}")
    logger.info("domain event published", extra={"detailType": event.detail_type, "detail": event.detail})


def publish_record(record: Mapping[str, Any]) -> DomainEvent | None:
    """Count the record in the review counts (``counts``, exactly once), then publish the event it
    stands for (if any); raise to fail the record. Counting first: a record whose publishing fails
    is retried, and its second count is a no-op."""
    try:
        counts.count(record)
        event = domain_event(record)
        expired = expired_case_id(event) if event is not None else None
        if expired is not None:
            from internship.events.expiry import release_attachments  # only retention needs S3

            old = dynamo.from_item((record.get("dynamodb") or {}).get("OldImage")) or {}
            release_attachments(old, expired)
        if event is not None:
            publish(event)
    except Exception:
        raw = record.get("dynamodb")
        change: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        logger.exception(
            "stream record not published",
            extra={
                "sequenceNumber": change.get("SequenceNumber"),
                "keys": change.get("Keys"),
                "event": record.get("eventName"),
            },
        )
        raise
    return event
