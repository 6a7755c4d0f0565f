"""Decisions reach the citizen, over the local run (SPEC §3 journey 11): a decision becomes an unread
消息 and an SMS at the development SMS platform (``/dev/sms``) with the reference number and no ID
number; a slow SMS platform holds up no decision; a rejected case rated 不满意 is followed up by the
Taiyuan bureau within its 10 working days, and the citizen sees the result and may rate again."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from localrun.sigv4 import RequestsSigV4
from tests.integration.test_applications_races import (
    CSRF,
    application_form,
    create_position,
    decide,
    fresh_id_number,
    upload_confirmed,
)

pytestmark = pytest.mark.integration

TAIYUAN = RequestsSigV4("taiyuan", "testing")
WAIT_SECONDS = 60  # only how long to wait before saying what never arrived
REASON = "毕业时间超过2年，不符合见习人员条件"


def wait_for(what: str, found: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if value := found():
            return value
        time.sleep(0.3)  # polling for the queue consumer, not timing it
    pytest.fail(f"{what} did not arrive within {WAIT_SECONDS}s")


@dataclass
class Applied:
    session: requests.Session
    id_number: str
    application_id: str
    reference_no: str
    phone: str  # its own: no other test's SMS count against this phone's hourly limit


def applied(stack: Any, login: Any, iam_auth: RequestsSigV4) -> Applied:
    """A citizen who has just submitted an application."""
    id_number = fresh_id_number()
    session = login(id_number)
    ids = [upload_confirmed(stack, session, kind) for kind in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")]
    body = application_form(create_position(stack, iam_auth), ids)
    body["phone"] = f"139{random.randint(0, 99_999_999):08d}"
    submitted = session.post(f"{stack.base_url}/applications", json=body, headers=CSRF, timeout=10)
    assert submitted.status_code == 201, submitted.text
    created = submitted.json()
    return Applied(session, id_number, created["applicationId"], created["referenceNo"], body["phone"])


def message_about(session: requests.Session, base: str, application_id: str, **query: str) -> dict[str, Any] | None:
    page = session.get(f"{base}/me/messages", params=query, timeout=10).json()
    return next((m for m in page["items"] if m["caseId"] == application_id), None)


def sms_to(base: str, phone: str) -> list[dict[str, str]]:
    return [sms for sms in requests.get(f"{base}/dev/sms", timeout=10).json() if sms["to"] == phone]


def test_a_decision_is_an_unread_message_and_an_sms_with_the_reference_number_and_no_id_number(stack, login, iam_auth):
    base = stack.base_url
    case = applied(stack, login, iam_auth)
    # When the bureau rejects it
    decided = decide(stack, case.application_id, {"decision": "REJECTED", "reason": REASON}, iam_auth)
    assert decided.status_code == 200, decided.text
    # Then the citizen finds an unread message about it, with the reason, and an unread count
    message = wait_for("the message", lambda: message_about(case.session, base, case.application_id, unread="true"))
    assert message["title"] == "审核不通过"
    assert case.reference_no in message["text"]
    assert REASON in message["text"]
    assert case.session.get(f"{base}/me/messages", timeout=10).json()["unreadCount"] >= 1
    # and the SMS platform got one SMS for the case's phone: the reference number, the status, no ID number
    (sms,) = wait_for("the SMS", lambda: sms_to(base, case.phone))
    assert case.reference_no in sms["text"]
    assert "审核不通过" in sms["text"]
    assert case.id_number not in sms["text"]
    assert case.id_number not in message["text"]
    # Reading it takes it off the unread list
    read = case.session.post(f"{base}/me/messages/{message['messageId']}/read", headers=CSRF, timeout=10)
    assert read.status_code == 204
    assert message_about(case.session, base, case.application_id, unread="true") is None
    assert message_about(case.session, base, case.application_id)["read"] is True  # type: ignore[index]


def test_a_slow_sms_platform_holds_up_no_decision_and_the_sms_follows_once_it_answers(stack, login, iam_auth):
    base = stack.base_url
    case = applied(stack, login, iam_auth)
    # Given the SMS platform holding every send (the sender gives up after its 3 s timeout)
    assert requests.post(f"{base}/dev/sms/fail", json={"mode": "slow"}, timeout=10).status_code == 200
    try:
        # When the bureau approves: the decision is answered, the platform still holding
        decided = decide(stack, case.application_id, {"decision": "APPROVED"}, iam_auth)
        assert decided.status_code == 200, decided.text
        assert decided.json()["statusLabel"] == "审核通过"
        # and the citizen's message is there, the SMS not
        message = wait_for("the message", lambda: message_about(case.session, base, case.application_id))
        assert message["title"] == "审核通过"
        assert sms_to(base, case.phone) == []
    finally:
        requests.delete(f"{base}/dev/sms/fail", timeout=10)
    # Then, the platform answering again, a retry sends the SMS
    (sms,) = wait_for("the retried SMS", lambda: sms_to(base, case.phone))
    assert case.reference_no in sms["text"]


def test_a_bad_rating_is_followed_up_by_the_bureau_and_the_citizen_rates_again(stack, login, iam_auth):
    base = stack.base_url
    case = applied(stack, login, iam_auth)
    session, url = case.session, f"{base}/applications/{case.application_id}/rating"
    assert session.post(url, json={"level": 2}, headers=CSRF, timeout=10).json()["code"] == "NOT_FINISHED"
    assert decide(stack, case.application_id, {"decision": "REJECTED", "reason": REASON}, iam_auth).status_code == 200
    # The citizen rates the rejected case 不满意: a follow-up is due in 10 working days
    rated = session.post(url, json={"level": 2, "comment": "原因看不懂"}, headers=CSRF, timeout=10)
    assert rated.status_code == 201, rated.text
    assert rated.json()["levelLabel"] == "不满意"
    due = rated.json()["followUp"]["dueDate"]
    # The Taiyuan bureau sees it with its due date, and closes it
    page = requests.get(f"{base}/review/ratings", params={"followUp": "OPEN"}, auth=TAIYUAN, timeout=10).json()
    (line,) = [r for r in page["items"] if r["referenceNo"] == case.reference_no]
    assert line["followUp"]["dueDate"] == due
    result = "已电话联系，说明毕业时间的计算方法"
    closed = requests.post(
        f"{base}/review/ratings/{line['ratingId']}/follow-up",
        json={"result": result, "note": "王某"},
        auth=TAIYUAN,
        timeout=10,
    )
    assert closed.status_code == 200, closed.text
    # The citizen sees the result in the case, is told of it, and rates once more
    detail = session.get(f"{base}/applications/{case.application_id}", timeout=10).json()
    assert detail["ratings"][0]["followUp"]["result"] == result
    assert detail["canRate"] is True

    def follow_up_message() -> dict[str, Any] | None:
        page = session.get(f"{base}/me/messages", params={"unread": "true"}, timeout=10).json()
        return next((m for m in page["items"] if m["title"] == "差评回访已办结"), None)

    told = wait_for("the follow-up's message", follow_up_message)
    assert (told["caseId"], told["referenceNo"]) == (case.application_id, case.reference_no)
    assert result in told["text"]
    assert session.post(url, json={"level": 4}, headers=CSRF, timeout=10).status_code == 201
    assert session.post(url, json={"level": 5}, headers=CSRF, timeout=10).json()["code"] == "ALREADY_RATED"
