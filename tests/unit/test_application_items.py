"""The application aggregate's items are built in one place, and its one status move out of PENDING."""

from __future__ import annotations

from typing import Any, cast

import pytest

from internship import dynamo, keys
from internship.applications import items
from internship.applications.repository import Move, status_move
from tests.application_items import sample

AT = "2025-03-06T09:00:00.000+08:00"


def test_an_application_reads_back_as_it_was_stored_with_every_index_key():
    application = sample("p1", "pos1", form={"phone": "13812345678"}, attachment_ids=["a1"])
    item = application.item()

    assert items.Application.of(item) == application
    assert item["gsi1pk"] == keys.my_applications("p1")
    assert item["gsi2pk"] == keys.my_applications_by_status("p1", "PENDING")
    assert (item["gsi3pk"], item["gsi4pk"]) == (
        keys.review_queue("1401", "PENDING"),
        keys.review_queue("140105", "PENDING"),
    )
    # The withdrawal, which reads nothing first, copies the queue keys stored ready here.
    assert item["withdrawnGsi4pk"] == keys.review_queue("140105", "WITHDRAWN")
    assert items.submitted(application).item()[keys.SK] == keys.history_sk(application.submitted_at, 0)


def elements(move: Move) -> dict[str, dict[str, Any]]:
    tx = status_move(move)
    written = cast(list[dict[str, Any]], tx.elements)
    return {name: element.popitem()[1] for name, element in zip(tx.names, written, strict=True)}


def move(status: items.ApplicationStatus, **decision: Any) -> Move:
    return Move(case_id="a1", person_id="p1", status=status, at=AT, actor="applicant", **decision)


@pytest.mark.parametrize(
    ("status", "guard_released"),
    [
        (items.ApplicationStatus.WITHDRAWN, True),
        (items.ApplicationStatus.REJECTED, True),
        (items.ApplicationStatus.APPROVED, False),
    ],
)
def test_every_move_out_of_pending_is_the_same_transaction(status, guard_released):
    decision = (
        {}
        if status is items.ApplicationStatus.WITHDRAWN
        else {"region_code": "140105", "listing": "x#a1", "jurisdiction": "14"}
    )
    tx = status_move(move(status, **decision))
    guard_write = next(iter(cast(dict[str, Any], tx.elements[tx.names.index("guard")])))
    written = elements(move(status, **decision))

    assert set(written) == {"case", "history", "guard"}
    # Released (deleted) unless the approval keeps it, naming the new status.
    assert guard_write == ("Delete" if guard_released else "Update")
    assert written["case"]["ConditionExpression"] == "personId = :me AND #status = :pending"
    history = dynamo.from_item(written["history"]["Item"]) or {}
    assert history[keys.SK] == keys.history_sk(AT, items.FIRST_MOVE_SEQ)
    assert (history["action"], history["status"], history["applicationId"]) == (status, status, "a1")


def test_a_decision_computes_the_queue_keys_and_a_withdrawal_copies_the_stored_ones():
    decided = elements(move(items.ApplicationStatus.REJECTED, region_code="140105", listing="x#a1", jurisdiction="14"))
    withdrawn = elements(move(items.ApplicationStatus.WITHDRAWN))

    values = dynamo.from_item(decided["case"]["ExpressionAttributeValues"]) or {}
    assert values[":gsi4pk"] == keys.review_queue("140105", "REJECTED")
    assert "decidedJurisdiction = :jurisdiction" in decided["case"]["UpdateExpression"]
    assert "gsi4pk = withdrawnGsi4pk" in withdrawn["case"]["UpdateExpression"]
    assert "decidedBy" not in withdrawn["case"]["UpdateExpression"]
