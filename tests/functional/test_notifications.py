"""Decisions reach the citizen (SPEC §4 "Ratings and messages"): each change of a case, as the domain
event the stream publisher puts on the bus, becomes one message and one SMS, exactly once; a failing
SMS platform is retried and dead-lettered and holds up nothing; at most 5 SMS to one phone an hour.

The whole way in-process (``notification_fixtures.channel``): table stream → publisher → bus rule
→ NotificationQueue → NotifyFunction → the development SMS platform.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from internship import aws, clock, keys
from internship.review import service as review
from internship.review.models import DecisionRequest
from localrun import resources
from tests.functional import notification_fixtures
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server, race  # noqa: F401 - the fixture
from tests.functional.notification_fixtures import Channel, messages_of

channel = notification_fixtures.channel  # the fixture
pytestmark = pytest.mark.usefixtures("moto_server")

REASON = "就业创业证信息与身份证不符，请核对后重新申报"


def decide(application_id: str, decision: str = "REJECTED", reason: str | None = REASON) -> Any:
    request = DecisionRequest(decision=decision, reason=reason if decision == "REJECTED" else None)
    return review.decide(fx.province(), application_id, request)


def pending(**fields: Any) -> dict[str, Any]:
    return fx.application(fx.position(headcount=10), **fields)


def test_a_rejection_becomes_one_unread_message_with_its_reason_and_one_sms_without_the_id_number(channel: Channel):
    # Given a pending application
    item = pending()
    # When the bureau rejects it and the change travels the bus
    decide(item["applicationId"])
    channel.deliver()
    # Then the applicant has one unread message saying so, with the reason, linked to the case
    (message,) = messages_of(item["personId"])
    assert message["title"] == "审核不通过"
    assert item["referenceNo"] in message["text"]
    assert REASON in message["text"]
    assert (message["caseKind"], message["caseId"], message["read"]) == ("APPLICATION", item["applicationId"], False)
    # and one SMS to the case's phone: signed, the reference number and the new status, no ID number
    (sms,) = channel.sms()
    assert sms["to"] == fx.FORM["phone"]
    assert sms["text"].startswith("【山西人社】")
    assert item["referenceNo"] in sms["text"]
    assert "审核不通过" in sms["text"]
    assert fx.ID_NUMBER not in sms["text"]
    assert fx.ID_NUMBER not in message["text"]


def test_the_same_change_delivered_twice_is_told_once(channel: Channel):
    # Given an approved application whose change was told
    item = pending()
    decide(item["applicationId"], "APPROVED")
    channel.deliver()
    # When the same event reaches the bus again (a publisher retry puts it once more, with a new event id)
    event = {"applicationId": item["applicationId"], "referenceNo": item["referenceNo"], "status": "APPROVED",
             "previousStatus": "PENDING", "at": clock.iso(clock.now()), "eventId": "replayed"}  # fmt: skip
    entry: Any = {"Source": "internship", "DetailType": "ApplicationApproved", "Detail": json.dumps(event),
             "EventBusName": resources.LOCAL_NAMES["EventBus"]}  # fmt: skip
    for _ in range(2):
        aws.events().put_events(Entries=[entry])
    channel.deliver()
    # Then NotifyFunction saw it three times, and the citizen has one message and one SMS
    assert len(channel.invocations) == 3
    assert [m["title"] for m in messages_of(item["personId"])] == ["审核通过"]
    assert len(channel.sms()) == 1
    assert fx.get(keys.unread_count(item["personId"]))["unread"] == 1  # type: ignore[index]


def test_a_decision_racing_a_withdrawal_is_told_as_the_one_move_that_happened(channel: Channel):
    for _ in range(3):
        # Given a pending application, withdrawn by its applicant while a reviewer rejects it
        item = pending()

        def withdraw(item: dict[str, Any] = item) -> str:
            fx.withdraw(item, clock.iso(clock.now()))
            return "WITHDRAWN"

        def reject(item: dict[str, Any] = item) -> Any:
            return decide(item["applicationId"])

        race(withdraw, reject)
        channel.deliver()
        # Then the citizen is told exactly the move that was applied, once
        stored = fx.get(keys.application(item["applicationId"]))
        assert stored is not None
        titles = [m["title"] for m in messages_of(item["personId"])]
        assert titles == [{"WITHDRAWN": "已撤回", "REJECTED": "审核不通过"}[stored["status"]]]
        assert len([s for s in channel.sms() if item["referenceNo"] in s["text"]]) == 1


def test_a_failing_sms_platform_retries_then_dead_letters_and_the_message_is_there_all_along(channel: Channel):
    # Given the SMS platform down
    channel.outbox.set_mode("error")
    item = pending()
    # When the bureau decides: the decision itself is unaffected (nothing in it calls the platform)
    assert decide(item["applicationId"]).status == "REJECTED"
    channel.deliver()
    # Then the message is there once, the SMS was tried on every delivery the queue allows (5), and
    # the event is in the dead-letter queue, alarmed, to be redriven once the platform is back
    assert [m["title"] for m in messages_of(item["personId"])] == ["审核不通过"]
    assert channel.sms() == []
    assert len(channel.invocations) == 5
    assert channel.queue_depth("NotificationDeadLetterQueue") == 1
    assert channel.queue_depth("NotificationQueue") == 0


def test_a_slow_platform_is_a_failed_try_and_the_next_try_sends(channel: Channel):
    # Given the platform holding every send past the sender's timeout
    channel.outbox.set_mode("slow")
    item = pending()
    decide(item["applicationId"], "APPROVED")
    channel.stream.poll_once()
    channel.queues.poll_once()
    assert channel.queues.failed == 1
    assert channel.sms() == []
    # When it recovers, the retry sends the SMS, once
    channel.outbox.set_mode("ok")
    channel.deliver()
    assert len(channel.sms()) == 1
    assert len(messages_of(item["personId"])) == 1


def test_the_sixth_sms_to_one_phone_in_an_hour_is_not_sent_but_its_message_is(channel: Channel, monkeypatch):
    # Within one clock hour (fixed, so the test never straddles two)
    moment = datetime(2026, 12, 7, 10, 15, tzinfo=clock.CST)
    monkeypatch.setattr(clock, "now", lambda: moment)
    # Given six cases of six people who all gave the same phone
    items = [pending() for _ in range(6)]
    # When all six are decided
    for item in items:
        decide(item["applicationId"], "APPROVED")
    channel.deliver()
    # Then each person has their message, and the phone got five SMS
    assert all(len(messages_of(item["personId"])) == 1 for item in items)
    assert len(channel.sms()) == 5
    assert {s["to"] for s in channel.sms()} == {fx.FORM["phone"]}
    # and the phone is kept only as a keyed hash, in one counter for the hour holding the five messages
    (counter,) = scan("SMSRATE#")
    assert len(counter["sent"]) == 5
    assert fx.FORM["phone"] not in json.dumps(counter, default=sorted)


def test_a_platform_that_refuses_the_sms_for_good_is_not_asked_again(channel: Channel):
    # Given a wrong credential on the platform's side (it answers 401)
    channel.outbox.credential = "another"
    item = pending()
    decide(item["applicationId"], "APPROVED")
    channel.deliver()
    # Then the message is there, the SMS is given up after one try, nothing is dead-lettered
    assert len(messages_of(item["personId"])) == 1
    assert len(channel.invocations) == 1
    assert channel.queue_depth("NotificationDeadLetterQueue") == 0


def test_without_an_sms_platform_the_citizen_still_gets_every_message(channel: Channel, monkeypatch):
    from internship.settings import get_settings

    monkeypatch.setenv("SMS_ENDPOINT", "")
    get_settings.cache_clear()
    item = pending()
    decide(item["applicationId"])
    channel.deliver()
    assert [m["title"] for m in messages_of(item["personId"])] == ["审核不通过"]
    assert channel.sms() == []


def scan(prefix: str) -> list[dict[str, Any]]:
    from internship import dynamo

    found = []
    for page in aws.dynamodb().get_paginator("scan").paginate(TableName=fx.table()):
        found += [dynamo.from_item(raw) or {} for raw in page["Items"] if raw["pk"]["S"].startswith(prefix)]
    return found


@pytest.fixture(autouse=True)
def _reviewers(channel: Channel) -> None:
    fx.jurisdictions()
