"""Races settled by DynamoDB's conditions: the last place, and withdraw versus decision.

Both run on a ``ThreadedMotoServer`` on loopback (``moto_server``) with two threads released
together by a barrier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from internship import clock, errors, keys
from internship.applications import repository as applications_repository
from internship.review import service
from internship.review.models import DecisionRequest
from internship.transactions import Cancelled
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server, race  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("moto_server")


def approve(application_id: str) -> Callable[[], Any]:
    who = fx.province()
    return lambda: service.decide(who, application_id, DecisionRequest(decision="APPROVED"))


def test_two_approvals_for_the_last_place_one_wins_one_is_position_full():
    # Given a position with one place left and two pending applications for it
    position_id = fx.position(headcount=3, filled=2)
    first, second = fx.application(position_id), fx.application(position_id)

    # When two reviewers approve them at the same moment
    results = race(approve(first["applicationId"]), approve(second["applicationId"]))

    # Then exactly one approval is applied and the other is told the position is full
    approved = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(approved) == 1
    assert approved[0].status == "APPROVED"
    assert len(refused) == 1
    assert isinstance(refused[0], errors.PositionFull)
    position = fx.get(keys.position(position_id))
    assert position is not None
    assert position["filled"] == 3
    statuses = sorted(str((fx.get(keys.application(a["applicationId"])) or {})["status"]) for a in (first, second))
    assert statuses == ["APPROVED", "PENDING"]


def test_withdraw_and_approve_at_the_same_moment_leave_exactly_one_applied():
    for _ in range(5):
        # Given a pending application
        position_id = fx.position(headcount=5)
        item = fx.application(position_id)

        def withdraw(item: dict[str, Any] = item) -> str:
            fx.withdraw(item, clock.iso(clock.now()))
            return "WITHDRAWN"

        # When the applicant withdraws while a reviewer approves
        withdrawn, decided = race(withdraw, approve(item["applicationId"]))

        # Then exactly one of them succeeded, and the stored record is that one's outcome
        stored = fx.get(keys.application(item["applicationId"]))
        position = fx.get(keys.position(position_id))
        assert stored is not None
        assert position is not None
        if withdrawn == "WITHDRAWN":
            assert isinstance(decided, errors.NotPending)
            assert stored["status"] == "WITHDRAWN"
            assert position["filled"] == 0
            assert fx.get(keys.active_guard(item["personId"])) is None
        else:
            assert isinstance(withdrawn, Cancelled)
            assert decided.status == "APPROVED"
            assert stored["status"] == "APPROVED"
            assert position["filled"] == 1
        # and the history shows the submission and that one move only
        _, history = applications_repository.read_with_history(item["applicationId"])
        assert [h.action for h in history] == ["SUBMITTED", stored["status"]]
