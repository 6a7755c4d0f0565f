"""The local run's corrections to moto's DynamoDB: cancelled transactions leave no trace, and a
retried transaction (same ClientRequestToken) is not applied twice, as in DynamoDB."""

from __future__ import annotations

from typing import Any

from internship import aws
from localrun import resources
from localrun.motolock import serialise_dynamodb

TABLE = resources.LOCAL_NAMES["AppTable"]


def _stream_records() -> int:
    """Records on the table's stream, read from moto's backend (what the stream pump would get)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    shard = dynamodb_backends[DEFAULT_ACCOUNT_ID][resources.REGION].tables[TABLE].stream_shard
    assert shard is not None
    return len(shard.items)


def test_a_cancelled_transaction_leaves_items_and_stream_as_they_were(aws_backend) -> None:
    serialise_dynamodb()
    ddb = aws.dynamodb()
    ddb.put_item(TableName=TABLE, Item={"pk": {"S": "A"}, "sk": {"S": "A"}, "n": {"N": "1"}})
    before = _stream_records()

    cancelled = False
    try:
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "B"}, "sk": {"S": "B"}}}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "A"}, "sk": {"S": "A"}},
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": {"pk": {"S": "C"}, "sk": {"S": "C"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    except ddb.exceptions.TransactionCanceledException:
        cancelled = True

    assert cancelled
    assert "Item" not in ddb.get_item(TableName=TABLE, Key={"pk": {"S": "B"}, "sk": {"S": "B"}})
    assert ddb.get_item(TableName=TABLE, Key={"pk": {"S": "A"}, "sk": {"S": "A"}})["Item"]["n"] == {"N": "1"}
    assert _stream_records() == before


def test_a_retried_transaction_with_the_same_token_is_applied_once(aws_backend) -> None:
    serialise_dynamodb()
    ddb = aws.dynamodb()
    increment: Any = {
        "Update": {
            "TableName": TABLE,
            "Key": {"pk": {"S": "COUNTER"}, "sk": {"S": "COUNTER"}},
            "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    for _ in range(2):  # botocore retries a timed-out call with the same token
        ddb.transact_write_items(TransactItems=[increment], ClientRequestToken="retry-1")
    ddb.transact_write_items(TransactItems=[increment], ClientRequestToken="another")

    item = ddb.get_item(TableName=TABLE, Key={"pk": {"S": "COUNTER"}, "sk": {"S": "COUNTER"}})["Item"]
    assert item["n"] == {"N": "2"}
