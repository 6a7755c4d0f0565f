"""Which stream change is which domain event (pure)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from internship.events.derive import MalformedRecord, domain_event
from tests import registration_items
from tests.functional.stream_records import APPLICATION, record

POSITION = {
    "pk": "POSITION#pos1",
    "sk": "POSITION",
    "positionId": "pos1",
    "status": "OPEN",
    "contactName": "李四",
    "contactPhone": "0351-1234567",
    "createdAt": "2025-01-01T09:00:00.000+08:00",
    "updatedAt": "2025-01-01T09:00:00.000+08:00",
}


def test_a_new_application_is_submitted_with_ids_and_status_only():
    event = domain_event(record("INSERT", new=APPLICATION))
    assert event is not None
    assert event.detail_type == "ApplicationSubmitted"
    assert event.detail["applicationId"] == "a1"
    assert event.detail["status"] == "PENDING"
    assert event.detail["at"] == APPLICATION["submittedAt"]
    text = json.dumps(event.detail, ensure_ascii=False)
    for personal in ("11010519491231002X", "张三", "13812345678"):
        assert personal not in text


@pytest.mark.parametrize(
    ("status", "detail_type"),
    [("WITHDRAWN", "ApplicationWithdrawn"), ("APPROVED", "ApplicationApproved"), ("REJECTED", "ApplicationRejected")],
)
def test_status_moves_are_events(status, detail_type):
    new = {**APPLICATION, "status": status, "decidedAt": "2025-03-06T10:00:00.000+08:00"}
    event = domain_event(record("MODIFY", new=new, old=APPLICATION))
    assert event is not None
    assert event.detail_type == detail_type
    assert (event.detail["status"], event.detail["previousStatus"]) == (status, "PENDING")


def test_changes_without_a_status_move_and_other_items_are_no_events():
    touched = {**APPLICATION, "updatedAt": "2025-03-06T10:00:00.000+08:00"}
    assert domain_event(record("MODIFY", new=touched, old=APPLICATION)) is None
    assert domain_event(record("REMOVE", old=APPLICATION)) is None
    guard = {"pk": "PERSON#p1", "sk": "ACTIVE", "applicationId": "a1"}
    assert domain_event(record("INSERT", new=guard)) is None
    history = {"pk": "APPLICATION#a1", "sk": "HISTORY#2025#000", "action": "SUBMITTED"}
    assert domain_event(record("INSERT", new=history)) is None


def test_positions_published_and_closed():
    published = domain_event(record("INSERT", new=POSITION))
    assert published is not None
    assert published.detail_type == "PositionPublished"
    closed_item = {**POSITION, "status": "CLOSED", "updatedAt": "2025-02-01T09:00:00.000+08:00"}
    closed = domain_event(record("MODIFY", new=closed_item, old=POSITION))
    assert closed is not None
    assert closed.detail_type == "PositionClosed"
    assert closed.detail == {
        "positionId": "pos1",
        "status": "CLOSED",
        "at": closed_item["updatedAt"],
        "eventId": closed.detail["eventId"],
    }
    assert "0351-1234567" not in json.dumps(closed.detail)
    assert domain_event(record("INSERT", new={**POSITION, "status": "CLOSED"})) is None
    edited = {**POSITION, "title": "新标题"}
    assert domain_event(record("MODIFY", new=edited, old=POSITION)) is None


def test_an_unreadable_record_is_malformed():
    broken = record("INSERT", new=APPLICATION)
    broken["dynamodb"]["NewImage"]["status"] = {"Q": "??"}
    with pytest.raises(MalformedRecord):
        domain_event(broken)
    with pytest.raises(MalformedRecord):
        domain_event({"eventName": "INSERT"})


PENDING = {**POSITION, "status": "PENDING_REVIEW", "submittedAt": "2025-01-01T09:00:00.000+08:00",
           "unitCreditCode": "91140105057318466N", "contactPhone": "13934561001"}  # fmt: skip
REVISION = {**POSITION, "sk": "REVISION", "status": "PENDING_REVIEW", "submittedAt": "2025-02-01T09:00:00.000+08:00"}


def detail_of(change: str, new: dict[str, Any], old: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    event = domain_event(record(change, new=new, old=old))
    assert event is not None
    return event.detail_type, event.detail


def test_a_units_position_is_submitted_and_decided_with_ids_and_statuses_only():
    decided = {**PENDING, "status": "OPEN", "decidedAt": "2025-01-02T09:00:00.000+08:00"}
    rejected = {
        **PENDING,
        "status": "REJECTED",
        "reason": "联系人信息不全",
        "decidedAt": "2025-01-02T09:00:00.000+08:00",
    }
    resubmitted = {**PENDING, "submittedAt": "2025-01-03T09:00:00.000+08:00"}

    submitted = detail_of("INSERT", PENDING)
    approved = detail_of("MODIFY", decided, PENDING)
    refused = detail_of("MODIFY", rejected, PENDING)
    again = detail_of("MODIFY", resubmitted, rejected)

    expected = {"positionId": "pos1", "status": "PENDING_REVIEW", "revision": False, "at": PENDING["submittedAt"]}
    assert submitted == ("PositionSubmitted", {**expected, "eventId": submitted[1]["eventId"]})
    assert approved[0] == refused[0] == "PositionDecided"
    assert (approved[1]["decision"], approved[1]["status"], approved[1]["previousStatus"]) == (
        "APPROVED", "OPEN", "PENDING_REVIEW")  # fmt: skip
    assert (refused[1]["decision"], refused[1]["status"]) == ("REJECTED", "REJECTED")
    assert again[0] == "PositionSubmitted"
    for _, detail in (submitted, approved, refused, again):
        text = json.dumps(detail, ensure_ascii=False)
        assert "13934561001" not in text
        assert "联系人" not in text
        assert "91140105057318466N" not in text


def test_a_change_to_a_published_position_is_submitted_and_decided_as_a_revision():
    changed = {**REVISION, "submittedAt": "2025-02-02T09:00:00.000+08:00"}
    approved = {**changed, "status": "APPROVED", "decidedAt": "2025-02-03T09:00:00.000+08:00"}
    rejected = {**changed, "status": "REJECTED", "decidedAt": "2025-02-03T09:00:00.000+08:00"}

    assert detail_of("INSERT", REVISION)[0] == "PositionSubmitted"
    assert detail_of("MODIFY", changed, REVISION)[1]["revision"] is True  # a change replacing a pending one
    assert detail_of("MODIFY", approved, changed)[1] | {"eventId": ""} == {
        "positionId": "pos1", "status": "APPROVED", "decision": "APPROVED", "revision": True,
        "previousStatus": "PENDING_REVIEW", "at": "2025-02-03T09:00:00.000+08:00", "eventId": ""}  # fmt: skip
    assert detail_of("MODIFY", rejected, changed)[1]["decision"] == "REJECTED"
    # The position's own write in the same transaction (its version and revision summary) is no event.
    assert domain_event(record("MODIFY", new={**POSITION, "version": 3}, old={**POSITION, "version": 2})) is None
    assert domain_event(record("INSERT", new={**REVISION, "status": "APPROVED"})) is None


# --- registrations (就业创业证) ------------------------------------------------------------------


def _registration() -> dict[str, Any]:
    from dataclasses import replace

    return replace(registration_items.sample("p1"), registration_id="r1", reference_no="DJ20250305R1").item()


def test_a_registration_submitted_decided_and_withdrawn_are_events_with_ids_only():
    registration = _registration()
    submitted = domain_event(record("INSERT", new=registration))
    approved = {**registration, "status": "APPROVED", "decidedAt": "2025-03-06T10:00:00.000+08:00"}
    decided = domain_event(record("MODIFY", new=approved, old=registration))
    withdrawn = domain_event(record("MODIFY", new={**registration, "status": "WITHDRAWN"}, old=registration))

    assert submitted is not None
    assert decided is not None
    assert withdrawn is not None
    assert (submitted.detail_type, submitted.detail["registrationId"], submitted.detail["kind"]) == (
        "RegistrationSubmitted", "r1", "JOB_SEEKING",
    )  # fmt: skip
    assert (decided.detail_type, decided.detail["decision"], decided.detail["previousStatus"]) == (
        "RegistrationDecided", "APPROVED", "PENDING",
    )  # fmt: skip
    assert withdrawn.detail_type == "RegistrationWithdrawn"
    for event in (submitted, decided, withdrawn):
        text = json.dumps(event.detail, ensure_ascii=False)
        assert not [personal for personal in ("11010519491231002X", "张三", "13812345678") if personal in text]


def test_an_issued_certificate_is_an_event_naming_its_registration():
    certificate = {"pk": "CERTIFICATE#140105202600000001", "sk": "CERTIFICATE", "certificateNo": "140105202600000001",
                   "registrationId": "r1", "personId": "p1", "kind": "JOB_SEEKING", "regionCode": "140105",
                   "issuedAt": "2026-03-06T10:00:00.000+08:00"}  # fmt: skip

    event = domain_event(record("INSERT", new=certificate))

    assert event is not None
    assert event.detail_type == "CertificateIssued"
    assert (event.detail["registrationId"], event.detail["at"]) == ("r1", certificate["issuedAt"])
    assert "certificateNo" not in event.detail  # ids of our records only; the message reads the number
