"""A registration's changes reach the citizen like an application's (the same channel, ``CHANGES``):
its approval once, with the certificate number; its rejection with the reason; its withdrawal.

The whole way in-process (``notification_fixtures.channel``): table stream → publisher → bus rule
→ NotificationQueue → NotifyFunction → the development SMS platform.
"""

from __future__ import annotations

import pytest

from internship import cases
from internship.registrations import service as registrations
from internship.review import registrations as review
from internship.review.models import DecisionRequest
from tests.functional import notification_fixtures
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server  # noqa: F401 - the fixture
from tests.functional.notification_fixtures import Channel, messages_of
from tests.functional.test_registration_races import pending_registration

channel = notification_fixtures.channel  # the fixture
pytestmark = pytest.mark.usefixtures("moto_server")
PHONE = "13812345678"  # the phone the sample registration gave (``tests.registration_items``)


def test_an_approval_is_told_once_with_the_certificate_number(channel: Channel):
    # Given a pending registration
    item = pending_registration()

    # When the household register's bureau approves it and the changes travel the bus
    decided = review.decide(fx.province(), item["registrationId"], DecisionRequest(decision="APPROVED"))
    channel.deliver()

    # Then the citizen has one message and one SMS: approved, with the number they will not type
    (message,) = messages_of(item["personId"])
    assert message["title"] == "就业创业证已发放"
    assert (message["caseKind"], message["caseId"]) == ("REGISTRATION", item["registrationId"])
    assert decided.certificate_no is not None
    assert decided.certificate_no in message["text"]
    (sms,) = channel.sms()
    assert sms["to"] == PHONE
    assert item["referenceNo"] in sms["text"]
    assert "就业创业证已发放" in sms["text"]
    assert "[证件号已隐去]" not in sms["text"]  # an 18-digit number reads as an ID number: the SMS leaves it out


def test_a_rejection_is_told_with_its_reason_and_a_withdrawal_as_such(channel: Channel):
    rejected, withdrawn = pending_registration(), pending_registration()

    review.decide(
        fx.province(), rejected["registrationId"], DecisionRequest(decision="REJECTED", reason="毕业证书不清晰")
    )
    registrations.withdraw(withdrawn["personId"], withdrawn["registrationId"])
    channel.deliver()

    (no,) = messages_of(rejected["personId"])
    assert (no["title"], "毕业证书不清晰" in no["text"]) == ("审核不通过", True)
    (gone,) = messages_of(withdrawn["personId"])
    assert gone["title"] == "已撤回"
    assert cases.get(cases.CaseKind.REGISTRATION, withdrawn["registrationId"]).status == "WITHDRAWN"  # type: ignore[union-attr]
