"""消息: GET /me/messages (newest first, all or unread, with the unread count) and POST …/read, over the
handlers, with messages told the production way (``internship.notifications.notify`` on a bus event)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from internship import clock
from internship.notifications import notify
from tests.functional import review_fixtures as fx

pytestmark = pytest.mark.usefixtures("aws_backend")

CHANGES = {"APPROVED": "ApplicationApproved", "REJECTED": "ApplicationRejected", "WITHDRAWN": "ApplicationWithdrawn"}


def told(person_id: str, status: str, at: datetime) -> dict[str, Any]:
    """A case of ``person_id`` that became ``status`` at ``at``, told as the bus tells it."""
    item = fx.application(fx.position(), person_id=person_id, status=status)
    detail = {"applicationId": item["applicationId"], "status": status, "at": clock.iso(at), "eventId": "e"}
    notify({"detail-type": CHANGES[status], "source": "internship", "detail": detail})
    return item


def listing(invoke, person_id: str, **query: str) -> dict[str, Any]:
    status, body = invoke("GET", "/me/messages", person=person_id, query=query)
    assert status == 200, body
    return body


def test_my_messages_newest_first_with_the_unread_count_and_paging(invoke):
    # Given three changes of a person's cases told at three moments
    person = "p-messages"
    start = datetime(2026, 12, 1, 9, 0, tzinfo=clock.CST)
    cases = [told(person, status, start + timedelta(hours=i)) for i, status in enumerate(CHANGES)]
    # When they list their messages two at a time
    first = listing(invoke, person, limit="2")
    second = listing(invoke, person, limit="2", cursor=first["nextCursor"])
    # Then the newest come first, each linking to its case, all unread, the count on every page
    titles = [m["title"] for m in first["items"] + second["items"]]
    assert titles == ["已撤回", "审核不通过", "审核通过"]
    assert [m["caseId"] for m in first["items"] + second["items"]] == [c["applicationId"] for c in reversed(cases)]
    assert first["unreadCount"] == second["unreadCount"] == 3
    assert second["nextCursor"] is None
    assert all(m["read"] is False and m["referenceNo"] for m in first["items"] + second["items"])


def test_reading_a_message_takes_it_off_the_unread_list_once(invoke):
    person = "p-reader"
    start = datetime(2026, 12, 2, 9, 0, tzinfo=clock.CST)
    told(person, "APPROVED", start)
    told(person, "REJECTED", start + timedelta(minutes=5))
    newest = listing(invoke, person)["items"][0]
    # When the citizen reads the newest, twice
    for _ in range(2):
        status, body = invoke("POST", f"/me/messages/{newest['messageId']}/read", person=person)
        assert (status, body) == (204, None)
    # Then one is unread, and the unread list holds only it
    unread = listing(invoke, person, unread="true")
    assert unread["unreadCount"] == 1
    assert [m["title"] for m in unread["items"]] == ["审核通过"]
    assert [m["read"] for m in listing(invoke, person)["items"]] == [True, False]


def test_another_persons_message_does_not_exist(invoke):
    told("p-owner", "APPROVED", clock.now())
    (message,) = listing(invoke, "p-owner")["items"]
    status, body = invoke("POST", f"/me/messages/{message['messageId']}/read", person="p-other")
    assert (status, body["code"]) == (404, "NOT_FOUND")
    assert listing(invoke, "p-other") == {"items": [], "unreadCount": 0, "nextCursor": None}
    assert listing(invoke, "p-owner")["unreadCount"] == 1
    # and a cursor of someone else's list is refused
    for i in range(2):
        told("p-owner", "REJECTED", clock.now() + timedelta(minutes=i + 1))
    cursor = listing(invoke, "p-owner", limit="1")["nextCursor"]
    status, body = invoke("GET", "/me/messages", person="p-other", query={"cursor": cursor})
    assert (status, body["errors"][0]["field"]) == (422, "cursor")


def test_a_change_told_again_is_still_one_message(invoke):
    item = told("p-twice", "APPROVED", clock.now())
    detail = {"applicationId": item["applicationId"], "status": "APPROVED", "at": clock.iso(clock.now())}
    notify({"detail-type": "ApplicationApproved", "detail": detail})
    page = listing(invoke, "p-twice")
    assert (len(page["items"]), page["unreadCount"]) == (1, 1)
