"""The local run's moto server (``localrun.motoserver``) answers as DynamoDB does where moto alone
does not: a cancelled transaction leaves no trace, a retried transaction (same ClientRequestToken)
is applied once, and concurrent conditional writes never both succeed. A write kept waiting past
the client's read timeout is still applied, as DynamoDB's would be, and its retry is a success."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from internship import aws
from localrun import resources
from tests.functional.moto_server_fixture import SERVING, moto_server, race  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("moto_server")
TABLE = resources.LOCAL_NAMES["AppTable"]


def _stream_records() -> int:
    """Records on the table's stream, read as the stream pump reads them."""
    streams = aws._session().client("dynamodbstreams")
    arn = aws.dynamodb().describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
    return len(streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"])


def _key(name: str) -> dict[str, Any]:
    return {"pk": {"S": name}, "sk": {"S": name}}


def test_a_cancelled_transaction_leaves_items_and_stream_as_they_were() -> None:
    ddb = aws.dynamodb()
    ddb.put_item(TableName=TABLE, Item={**_key("A"), "n": {"N": "1"}})
    before = _stream_records()

    with pytest.raises(ddb.exceptions.TransactionCanceledException) as cancelled:
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": _key("B")}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": _key("A"),
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": _key("C"),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )

    reasons = [r["Code"] for r in cancelled.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert "Item" not in ddb.get_item(TableName=TABLE, Key=_key("B"))
    assert ddb.get_item(TableName=TABLE, Key=_key("A"))["Item"]["n"] == {"N": "1"}
    assert _stream_records() == before


def test_a_committed_transaction_writes_every_item_once_to_table_and_stream() -> None:
    ddb = aws.dynamodb()
    ddb.put_item(TableName=TABLE, Item={**_key("A"), "n": {"N": "1"}})
    ddb.put_item(TableName=TABLE, Item=_key("D"))
    before = _stream_records()

    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": _key("B"), "ConditionExpression": "attribute_not_exists(pk)"}},
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": _key("A"),
                    "UpdateExpression": "SET n = n + :one",
                    "ConditionExpression": "n = :was",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":was": {"N": "1"}},
                }
            },
            {"ConditionCheck": {"TableName": TABLE, "Key": _key("D"), "ConditionExpression": "attribute_exists(pk)"}},
        ]
    )

    assert "Item" in ddb.get_item(TableName=TABLE, Key=_key("B"))
    assert ddb.get_item(TableName=TABLE, Key=_key("A"))["Item"]["n"] == {"N": "2"}
    assert _stream_records() == before + 2


def test_a_retried_transaction_with_the_same_token_is_applied_once() -> None:
    ddb = aws.dynamodb()
    increment: Any = {
        "Update": {
            "TableName": TABLE,
            "Key": _key("COUNTER"),
            "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    for _ in range(2):  # botocore retries a timed-out call with the same token
        ddb.transact_write_items(TransactItems=[increment], ClientRequestToken="retry-1")
    ddb.transact_write_items(TransactItems=[increment], ClientRequestToken="another")

    assert ddb.get_item(TableName=TABLE, Key=_key("COUNTER"))["Item"]["n"] == {"N": "2"}


def test_racing_conditional_transactions_let_exactly_one_through() -> None:
    """Each thread reads nothing and claims the same key: DynamoDB lets one transaction win."""
    ddb = aws.dynamodb()
    racers = 8

    def claim(n: int) -> Callable[[], int]:
        def put() -> int:
            ddb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": TABLE,
                            "Item": {**_key("CLAIM"), "by": {"N": str(n)}},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {"Put": {"TableName": TABLE, "Item": _key(f"LOG#{n}")}},
                ]
            )
            return n

        return put

    outcomes = race(*(claim(n) for n in range(racers)))
    won = [n for n in outcomes if isinstance(n, int)]
    assert all(isinstance(o, int | ddb.exceptions.TransactionCanceledException) for o in outcomes), outcomes
    assert len(won) == 1, f"{len(won)} transactions claimed the same key"
    (winner,) = won
    assert ddb.get_item(TableName=TABLE, Key=_key("CLAIM"))["Item"]["by"] == {"N": str(winner)}
    logs = [n for n in range(racers) if "Item" in ddb.get_item(TableName=TABLE, Key=_key(f"LOG#{n}"))]
    assert logs == [winner]


def test_a_put_kept_waiting_past_the_read_timeout_is_applied_and_its_retry_is_a_success() -> None:
    """What a busy ``make test`` did to logins and attachment declarations: the server kept the put
    waiting past botocore's read timeout and applied it later; the retry then found the put's own item."""
    import threading

    from botocore.config import Config

    from internship.table import Table

    key = {"pk": "STATE#fresh", "sk": "STATE"}
    item = {**key, "ttl": 1_700_000_600}
    released, held = threading.Event(), threading.Event()

    (server,) = SERVING.values()

    def hold_writes() -> None:  # as a snapshot of the kept data does (``localrun.persistence``)
        with server.gate.quiet():
            held.set()
            released.wait(timeout=30)

    def first_attempt_timed_out(**event: Any) -> None:  # let the held put through; retry once it is applied
        released.set()
        for _ in range(300):  # bounded wait for the server to apply it, then retry either way
            if Table(TABLE).get(key, consistent=True):
                return
            threading.Event().wait(0.05)

    holder = threading.Thread(target=hold_writes)
    holder.start()
    held.wait(timeout=10)
    impatient = Config(read_timeout=0.5, retries={"mode": "standard", "max_attempts": 3})
    client = aws._session().client("dynamodb", config=impatient)
    client.meta.events.register("needs-retry.dynamodb.PutItem", first_attempt_timed_out)
    try:
        with mock.patch.object(aws, "dynamodb", return_value=client):
            Table(TABLE).put(item, condition="attribute_not_exists(pk)")
    finally:
        released.set()
        holder.join(timeout=30)

    assert Table(TABLE).get(key) == item
