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
| registration (就业创业证) | INSERT | RegistrationSubmitted |
| registration | MODIFY, status → WITHDRAWN | RegistrationWithdrawn |
| registration | MODIFY, status → APPROVED / REJECTED | RegistrationDecided (``decision``) |
| registration | REMOVE by DynamoDB's TTL | RegistrationExpired |
| certificate (``CERTIFICATE#<no>``, written by an approval) | INSERT | CertificateIssued |
| rating of a case (好差评) | INSERT | RatingSubmitted |
| follow-up of a 差评 | MODIFY, status → DONE | FollowUpDone |

Ratings and follow-ups are events for the provincial 好差评 system: the reference number, the level,
the jurisdiction and the dates, never the comment, the result or who rated.

Everything else (sessions, guards, history entries, attachments, other changes) is no event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from internship import dynamo
from internship.applications.items import ApplicationStatus
from internship.ratings.items import LEVEL_LABELS

SOURCE = "internship"


@dataclass(frozen=True, slots=True)
class _CaseEvents:
    """The events of one kind of case (its stream records: submitted, moved, expired)."""

    id_field: str
    submitted: str
    moves: dict[str, str]  # status → detail type
    fields: tuple[str, ...]  # the only attributes its details may carry: ids, statuses and times
    expired: str
    expired_fields: tuple[str, ...]  # the person is what retention forgets, so not even ``personId``
    decided: frozenset[str] = frozenset()  # detail types that say the ``decision``


_CASES = {
    "application": _CaseEvents(
        "applicationId",
        "ApplicationSubmitted",
        {
            ApplicationStatus.WITHDRAWN: "ApplicationWithdrawn",
            ApplicationStatus.APPROVED: "ApplicationApproved",
            ApplicationStatus.REJECTED: "ApplicationRejected",
        },
        ("applicationId", "referenceNo", "positionId", "personId", "status"),
        "ApplicationExpired",
        ("applicationId", "referenceNo", "positionId", "status"),
    ),
    "registration": _CaseEvents(
        "registrationId",
        "RegistrationSubmitted",
        {
            ApplicationStatus.WITHDRAWN: "RegistrationWithdrawn",
            ApplicationStatus.APPROVED: "RegistrationDecided",
            ApplicationStatus.REJECTED: "RegistrationDecided",
        },
        ("registrationId", "referenceNo", "personId", "kind", "status"),
        "RegistrationExpired",
        ("registrationId", "referenceNo", "kind", "status"),
        decided=frozenset({"RegistrationDecided"}),
    ),
}
# The only attributes a certificate's event carries: whose registration issued it, and when.
_CERTIFICATE_FIELDS = ("registrationId", "personId", "kind", "regionCode")
EXPIRED = frozenset(case.expired for case in _CASES.values())


_PENDING = "PENDING_REVIEW"
_DECISIONS = {"OPEN": "APPROVED", "APPROVED": "APPROVED", "REJECTED": "REJECTED"}
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
    if pk.startswith("REGISTRATION#") and sk == "REGISTRATION":
        return "registration"
    if pk.startswith("CERTIFICATE#") and sk == "CERTIFICATE":
        return "certificate"
    if pk.startswith("POSITION#") and sk == "POSITION":
        return "position"
    if pk.startswith("POSITION#") and sk == "REVISION":
        return "revision"
    if sk.startswith("RATING#"):  # in its case's partition, whatever the kind of case
        return "rating"
    if pk.startswith("FOLLOWUP#") and sk == "FOLLOWUP":
        return "followUp"
    return None


# The only attributes a rating's or a follow-up's event may carry (no comment, result or person).
_RATING_FIELDS = ("ratingId", "caseKind", "caseId", "referenceNo", "level", "regionCode")


def _rating_event(name: str, new: dict[str, Any], old: dict[str, Any], event_id: str) -> DomainEvent | None:
    """RatingSubmitted (a rating stored) and FollowUpDone (a follow-up closed), or ``None``."""
    detail = {field: new[field] for field in _RATING_FIELDS if field in new}
    if "ratingId" not in detail:
        raise MalformedRecord("rating or follow-up without ratingId")
    detail["levelLabel"] = LEVEL_LABELS.get(int(new.get("level") or 0))
    if "dueDate" in new:  # a follow-up
        if name != "MODIFY" or new.get("status") != "DONE" or old.get("status") == "DONE":
            return None
        done_at = str(new.get("doneAt") or "")
        detail.update(dueDate=new["dueDate"], doneAt=done_at, onTime=done_at[:10] <= str(new["dueDate"]))
        return DomainEvent("FollowUpDone", {**detail, "at": done_at, "eventId": event_id})
    if name != "INSERT":
        return None
    follow_up = new.get("followUp") or {}
    detail.update(ratedAt=new.get("ratedAt"), followUpDueDate=follow_up.get("dueDate"))
    return DomainEvent("RatingSubmitted", {**detail, "at": new.get("ratedAt"), "eventId": event_id})


def domain_event(record: Mapping[str, Any]) -> DomainEvent | None:
    """The event of one stream record (Lambda's DynamoDB stream record shape), or ``None``."""
    change = record.get("dynamodb")
    name = record.get("eventName")
    if not isinstance(change, Mapping) or name not in {"INSERT", "MODIFY", "REMOVE"}:
        raise MalformedRecord("not a DynamoDB stream record")
    kind = _kind(_image(change, "Keys"))
    if kind in _CASES and name == "REMOVE" and record.get("userIdentity") == _TTL_IDENTITY:
        return _expired(_CASES[kind], record, _image(change, "OldImage"))
    if kind is None or name == "REMOVE":
        return None
    new, old = _image(change, "NewImage"), _image(change, "OldImage")
    if not new:
        raise MalformedRecord("NEW_AND_OLD_IMAGES expected")
    event_id = str(record.get("eventID", ""))
    if kind in {"rating", "followUp"}:
        return _rating_event(str(name), new, old, event_id)
    if kind in _CASES:
        return _case_event(_CASES[kind], str(name), new, old, event_id)
    if kind == "certificate":
        if name != "INSERT":
            return None
        detail = {field: new[field] for field in _CERTIFICATE_FIELDS if field in new}
        return DomainEvent("CertificateIssued", {**detail, "at": new.get("issuedAt"), "eventId": event_id})
    if "positionId" not in new:
        raise MalformedRecord("position without positionId")
    found = _position_event(kind == "revision", name, new, old)
    if found is None:
        return None
    detail_type, at, extra = found
    detail = {"positionId": new["positionId"], "status": new.get("status"), **extra, "at": at, "eventId": event_id}
    return DomainEvent(detail_type, detail)


def _case_event(
    case: _CaseEvents, name: str, new: Mapping[str, Any], old: Mapping[str, Any], event_id: str
) -> DomainEvent | None:
    """A case's submission (INSERT) or move out of PENDING (MODIFY of its status), or ``None``."""
    if name == "INSERT":
        detail_type, at = case.submitted, new.get("submittedAt")
    else:
        status = new.get("status")
        if status == old.get("status") or status not in case.moves:
            return None
        detail_type, at = case.moves[str(status)], new.get("decidedAt") or new.get("updatedAt")
    detail = {name: new[name] for name in case.fields if name in new}
    if case.id_field not in detail:
        raise MalformedRecord(f"case without {case.id_field}")
    if name == "MODIFY":
        detail["previousStatus"] = old.get("status")
        if detail_type in case.decided:
            detail["decision"] = new.get("status")
    return DomainEvent(detail_type, {**detail, "at": at, "eventId": event_id})


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


def _expired(case: _CaseEvents, record: Mapping[str, Any], old: dict[str, Any]) -> DomainEvent:
    """RetentionYears after it finished, DynamoDB's TTL deleted the case."""
    if case.id_field not in old:
        raise MalformedRecord(f"expired case without {case.id_field}")
    detail: dict[str, Any] = {name: old[name] for name in case.expired_fields if name in old}
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
    return DomainEvent(case.expired, detail)


def expired_case_id(event: DomainEvent) -> str | None:
    """The id of the case an ``*Expired`` event is about (its attachments go too), else ``None``."""
    case = next((case for case in _CASES.values() if case.expired == event.detail_type), None)
    return str(event.detail[case.id_field]) if case else None
