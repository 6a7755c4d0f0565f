"""Which domain event, if any, one DynamoDB stream record stands for. Pure: no AWS calls.

| item | stream change | event |
| --- | --- | --- |
| application | INSERT | ApplicationSubmitted |
| application | MODIFY, status → WITHDRAWN | ApplicationWithdrawn |
| application | MODIFY, status → APPROVED / REJECTED | ApplicationApproved / ApplicationRejected |
| position | INSERT (OPEN) | PositionPublished |
| position | MODIFY, status → CLOSED | PositionClosed |

Everything else (sessions, guards, history entries, attachments, other changes) is no event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from internship import dynamo

SOURCE = "internship"

_STATUS_EVENTS = {
    "WITHDRAWN": "ApplicationWithdrawn",
    "APPROVED": "ApplicationApproved",
    "REJECTED": "ApplicationRejected",
}
# The only attributes an event detail may carry: ids, statuses and times.
_APPLICATION_FIELDS = ("applicationId", "referenceNo", "positionId", "personId", "status")


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
    return None


def domain_event(record: Mapping[str, Any]) -> DomainEvent | None:
    """The event of one stream record (Lambda's DynamoDB stream record shape), or ``None``."""
    change = record.get("dynamodb")
    name = record.get("eventName")
    if not isinstance(change, Mapping) or name not in {"INSERT", "MODIFY", "REMOVE"}:
        raise MalformedRecord("not a DynamoDB stream record")
    kind = _kind(_image(change, "Keys"))
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
    # position
    if name == "INSERT" and new.get("status") == "OPEN":
        detail_type, at = "PositionPublished", new.get("createdAt")
    elif name == "MODIFY" and new.get("status") == "CLOSED" and old.get("status") != "CLOSED":
        detail_type, at = "PositionClosed", new.get("updatedAt")
    else:
        return None
    if "positionId" not in new:
        raise MalformedRecord("position without positionId")
    detail = {"positionId": new["positionId"], "status": new.get("status"), "at": at, "eventId": event_id}
    return DomainEvent(detail_type, detail)
