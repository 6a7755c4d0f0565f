"""Which stream change is which domain event (pure)."""

from __future__ import annotations

import json

import pytest

from internship.events.derive import MalformedRecord, domain_event
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
