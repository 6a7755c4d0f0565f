"""Which counts one stream record moves, and how a conflicting or repeated record is handled."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from internship import transactions
from internship.events import counts
from tests.functional.stream_records import APPLICATION, record

TAIYUAN = {**APPLICATION, "regionCode": "140105", "month": "2025-03"}


def test_a_submission_adds_one_pending_to_its_county_city_and_province():
    assert counts.deltas(record("INSERT", new=TAIYUAN)) == {
        ("140105", "2025-03"): {"PENDING": 1},
        ("1401", "2025-03"): {"PENDING": 1, "140105#PENDING": 1},
        ("14", "2025-03"): {"PENDING": 1, "1401#PENDING": 1},
    }


def test_a_decision_moves_one_from_pending_to_its_status():
    moved = counts.deltas(record("MODIFY", new={**TAIYUAN, "status": "APPROVED"}, old=TAIYUAN))
    assert moved[("14", "2025-03")] == {"APPROVED": 1, "PENDING": -1, "1401#APPROVED": 1, "1401#PENDING": -1}


@pytest.mark.parametrize(
    "stream_record",
    [
        record("MODIFY", new={**TAIYUAN, "updatedAt": "later"}, old=TAIYUAN),  # no status change
        record("INSERT", new=APPLICATION),  # an application from before jurisdictions
        record("INSERT", new={"pk": "POSITION#p", "sk": "POSITION", "status": "OPEN"}),
        record("INSERT", new={"pk": "STATS#14#2025-03", "sk": "STATS", "PENDING": 1}),
    ],
)
def test_other_records_move_nothing(stream_record):
    assert counts.deltas(stream_record) == {}


def test_a_deleted_application_leaves_the_counts():
    assert counts.deltas(record("REMOVE", old=TAIYUAN))[("1401", "2025-03")] == {"PENDING": -1, "140105#PENDING": -1}


class Table:
    """A DynamoDB client whose transactions fail with the given cancellation codes, then succeed."""

    def __init__(self, *failures: list[str]) -> None:
        self.failures, self.calls = list(failures), 0

    def transact_write_items(self, **_: Any) -> dict[str, Any]:
        self.calls += 1
        if self.failures:
            response: Any = {
                "Error": {"Code": "TransactionCanceledException"},
                "CancellationReasons": [{"Code": code} for code in self.failures.pop(0)],
            }
            raise ClientError(response, "TransactWriteItems")
        return {}


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(*failures: list[str]) -> Table:
        fake = Table(*failures)
        monkeypatch.setattr(transactions, "aws", SimpleNamespace(dynamodb=lambda: fake))
        return fake

    return install


def test_a_conflict_with_another_consumer_is_tried_again(table):
    fake = table(["None", "TransactionConflict", "None", "None"])
    assert counts.count(record("INSERT", new=TAIYUAN)) is True
    assert fake.calls == 2


def test_a_record_counted_before_is_not_counted_again(table):
    fake = table(["ConditionalCheckFailed", "None", "None", "None"])
    assert counts.count(record("INSERT", new=TAIYUAN)) is False
    assert fake.calls == 1


def test_a_lasting_conflict_fails_the_record_for_lambda_to_redeliver(table):
    table(*[["None", "TransactionConflict", "None", "None"]] * counts.CONFLICT_ATTEMPTS)
    with pytest.raises(transactions.Cancelled):
        counts.count(record("INSERT", new=TAIYUAN))
