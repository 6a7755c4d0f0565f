"""Which domain event, if any, one DynamoDB stream record stands for. Pure: no AWS calls.

| item | stream change | event |
| --- | --- | --- |
| application | INSERT | ApplicationSubmitted |
| application | MODIFY, status → WITHDRAWN | ApplicationWithdrawn |
| application | MODIFY, status → APPROVED / REJECTED | ApplicationApproved / ApplicationRejected |
| position | INSERT (OPEN) | PositionPublished |
| position | MODIFY, status → CLOSED | PositionClosed |
| position | INSERT (PENDING_REVIEW), or MODIFY REJECTED → PENDING_REVIEW | PositionSubmitted |
| position | MODIFY, PENDING_REVIEW → OPEN / REJECTED | PositionDecided (``decision`` APPROVED / REJECTED) |
| a unit's change (``REVISION``) | INSERT, or MODIFY to a new submission | PositionSubmitted (``revision`` true) |
| a unit's change (``REVISION``) | MODIFY, PENDING_REVIEW → APPROVED / REJECTED | PositionDecided (``revision`` true) |
| application | REMOVE by DynamoDB's TTL (retention over) | ApplicationExpired |

Everything else (sessions, guards, history entries, attachments, other changes) is no event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from internship import dynamo
from internship.applications.items import ApplicationStatus

SOURCE = "internship"

_STATUS_EVENTS: dict[str, str] = {
    ApplicationStatus.WITHDRAWN: "ApplicationWithdrawn",
    ApplicationStatus.APPROVED: "ApplicationApproved",
    ApplicationStatus.REJECTED: "ApplicationRejected",
}
# The only attributes an event detail may carry: ids, statuses and times.
_APPLICATION_FIELDS = ("applicationId", "referenceNo", "positionId", "personId", "status")


_PENDING = "PENDING_REVIEW"
_DECISIONS = {"OPEN": "APPROVED", "APPROVED": "APPROVED", "REJECTED": "REJECTED"}


# ApplicationExpired: ids only. The person is what retention forgets, so not even ``personId``.
_EXPIRED_FIELDS = ("applicationId", "referenceNo", "positionId", "status")
# How a stream record says DynamoDB's TTL deleted the item (not a request of ours).
_TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


class MalformedRecord(ValueError):
    """A stream record the publisher cannot read; the batch reports it as failed."""


@dataclass(frozen=True, slots=True)
class DomainEvent:
    detail_type: str
    detail: dict[str, Any] = field(default_factory=dict)


def _image(change: Mapping[str, Any], name: str) -> dict[str, Any]:
    raw = change.get(name)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise MalformedRecord(f"{name} is not a map")
    try:
        return dynamo.from_item(raw) or {}
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise MalformedRecord(f"{name} cannot be read") from error


def _kind(keys: Mapping[str, Any]) -> str | None:
    pk, sk = str(keys.get("pk", "")), str(keys.get("sk", ""))
    if pk.startswith("APPLICATION#") and sk == "APPLICATION":
        return "application"
    if pk.startswith("POSITION#") and sk == "POSITION":
        return "position"
    if pk.startswith("POSITION#") and sk == "REVISION":
        return "revision"
    return None


def domain_event(record: Mapping[str, Any]) -> DomainEvent | None:
    """The event of one stream record (Lambda's DynamoDB stream record shape), or ``None``."""
    change = record.get("dynamodb")
    name = record.get("eventName")
    if not isinstance(change, Mapping) or name not in {"INSERT", "MODIFY", "REMOVE"}:
        raise MalformedRecord("not a DynamoDB stream record")
    kind = _kind(_image(change, "Keys"))
    if kind == "application" and name == "REMOVE" and record.get("userIdentity") == _TTL_IDENTITY:
        return _expired(record, _image(change, "OldImage"))
    if kind is None or name == "REMOVE":
        return None
    new, old = _image(change, "NewImage"), _image(change, "OldImage")
    if not new:
        raise MalformedRecord("NEW_AND_OLD_IMAGES expected")
    event_id = str(record.get("eventID", ""))
    if kind == "application":
        if name == "INSERT":
            detail_type, at = "ApplicationSubmitted", new.get("submittedAt")
        else:
            status = new.get("status")
            if status == old.get("status") or status not in _STATUS_EVENTS:
                return None
            detail_type, at = _STATUS_EVENTS[str(status)], new.get("decidedAt") or new.get("updatedAt")
        detail = {name: new[name] for name in _APPLICATION_FIELDS if name in new}
        if "applicationId" not in detail:
            raise MalformedRecord("application without applicationId")
        if name == "MODIFY":
            detail["previousStatus"] = old.get("status")
        return DomainEvent(detail_type, {**detail, "at": at, "eventId": event_id})
    if "positionId" not in new:
        raise MalformedRecord("position without positionId")
    found = _position_event(kind == "revision", name, new, old)
    if found is None:
        return None
    detail_type, at, extra = found
    detail = {"positionId": new["positionId"], "status": new.get("status"), **extra, "at": at, "eventId": event_id}
    return DomainEvent(detail_type, detail)


def _position_event(
    revision: bool, name: str, new: Mapping[str, Any], old: Mapping[str, Any]
) -> tuple[str, Any, dict[str, Any]] | None:
    """A position's (or a unit's change to it) event: its type, time and what the detail adds."""
    status, before = new.get("status"), old.get("status")
    submitted = status == _PENDING and (before != _PENDING or new.get("submittedAt") != old.get("submittedAt"))
    if name == "INSERT" and status == "OPEN" and not revision:
        return "PositionPublished", new.get("createdAt"), {}
    if name == "MODIFY" and status == "CLOSED" and before != "CLOSED":
        return "PositionClosed", new.get("updatedAt"), {}
    if submitted:
        return "PositionSubmitted", new.get("submittedAt"), {"revision": revision}
    if name == "MODIFY" and before == _PENDING and status in _DECISIONS:
        extra = {"decision": _DECISIONS[str(status)], "revision": revision, "previousStatus": before}
        return "PositionDecided", new.get("decidedAt"), extra
    return None


def is_ttl_removal(record: Mapping[str, Any]) -> bool:
    return record.get("eventName") == "REMOVE" and record.get("userIdentity") == _TTL_IDENTITY


def _expired(record: Mapping[str, Any], old: dict[str, Any]) -> DomainEvent:
    """RetentionYears after it finished, DynamoDB's TTL deleted the application."""
    if "applicationId" not in old:
        raise MalformedRecord("expired application without applicationId")
    detail: dict[str, Any] = {name: old[name] for name in _EXPIRED_FIELDS if name in old}
    detail["attachmentIds"] = [
        str(a.get("attachmentId")) for a in old.get("attachments") or [] if a.get("attachmentId")
    ]
    change = record.get("dynamodb") or {}
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, int | float):
        from datetime import datetime

        from internship import clock

        detail["at"] = clock.iso(datetime.fromtimestamp(created, clock.CST))
    detail["eventId"] = str(record.get("eventID", ""))
    return DomainEvent("ApplicationExpired", detail)
