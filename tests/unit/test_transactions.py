"""Transactions decode their cancellations by item name, and AWS errors are classified in one place."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from internship import aws_errors, errors
from internship.transactions import Cancelled, Transaction


def transaction(*names: str) -> Transaction:
    tx = Transaction()
    for name in names:
        tx.add(name, {"ConditionCheck": {"TableName": "t", "Key": {}, "ConditionExpression": "x"}})
    return tx


def test_reasons_are_paired_with_names_whatever_the_order() -> None:
    raw = [{"Code": "None"}, {"Code": "ConditionalCheckFailed", "Item": {"status": {"S": "CLOSED"}}}, {"Code": "None"}]
    for names in (("guard", "position", "history"), ("history", "position", "guard")):
        cancelled = Cancelled(transaction(*names).decode(raw))
        assert cancelled.failed_names() == {"position"}
        assert cancelled.condition_failed("position")
        assert cancelled.reason("position").item == {"status": "CLOSED"}
        assert not cancelled.failed("guard")


@pytest.mark.parametrize("code", ["ThrottlingError", "ProvisionedThroughputExceeded"])
def test_a_throttled_item_makes_the_cancellation_throttled(code: str) -> None:
    cancelled = Cancelled(transaction("a", "b").decode([{"Code": "None"}, {"Code": code}]))
    assert cancelled.throttled
    assert not cancelled.conflicted


def test_a_transaction_conflict_is_a_conflict() -> None:
    cancelled = Cancelled(transaction("a").decode([{"Code": "TransactionConflict"}]))
    assert cancelled.conflicted
    assert not cancelled.throttled


def test_a_name_is_used_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        transaction("a", "a")


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("ProvisionedThroughputExceededException", errors.Throttled),
        ("ThrottlingException", errors.Throttled),
        ("SlowDown", errors.Throttled),
        ("TooManyRequestsException", errors.Throttled),
        ("InternalServerError", errors.ServiceUnavailable),
        ("ServiceUnavailable", errors.ServiceUnavailable),
    ],
)
def test_aws_errors_are_answered_from_one_classification(code: str, answer: type[errors.AppError]) -> None:
    error = ClientError({"Error": {"Code": code, "Message": "x"}}, "Op")
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = error
    assert isinstance(aws_errors.answer(wrapped), answer)


def test_other_aws_errors_are_not_ours_to_answer() -> None:
    assert aws_errors.answer(ClientError({"Error": {"Code": "AccessDenied", "Message": "x"}}, "Op")) is None
