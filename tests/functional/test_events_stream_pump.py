"""The local run's stream pump: writes to the table reach the publisher, as Lambda would deliver them."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest

from internship import aws
from localrun.stream import StreamPump
from tests.conftest import LambdaContext, load_handler
from tests.functional import review_fixtures as fx
from tests.functional.moto_server_fixture import moto_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("moto_server")


def test_table_writes_become_published_events(monkeypatch):
    # Given the publisher, watched, behind the pump of the table's stream
    batches: list[list[dict[str, Any]]] = []
    published: list[str] = []
    real_put = aws.events().put_events

    def put_events(**kwargs: Any) -> Any:
        published.extend(entry["DetailType"] for entry in kwargs["Entries"])
        return real_put(**kwargs)

    monkeypatch.setattr(aws.events(), "put_events", put_events)
    handler = load_handler("event_publisher").lambda_handler

    def invoke(event: dict[str, Any]) -> Any:
        batches.append(event["Records"])
        return handler(event, LambdaContext())

    endpoint = os.environ["AWS_ENDPOINT_URL"]
    pump = StreamPump(
        boto3.client("dynamodb", endpoint_url=endpoint),
        boto3.client("dynamodbstreams", endpoint_url=endpoint),
        fx.table(),
        invoke,
    )

    # When a position is published and an application submitted for it
    position_id = fx.position()
    fx.application(position_id)
    delivered = pump.poll_once()

    # Then the records events come from reached the publisher in Lambda's shape and the two events were
    # put; the history entry and the guards were dropped by the stream filter (template.yaml), as Lambda does
    assert delivered == 2  # position, application
    records = [record for batch in batches for record in batch]
    assert [record["dynamodb"]["Keys"]["sk"]["S"] for record in records] == ["POSITION", "APPLICATION"]
    assert {record["eventName"] for record in records} == {"INSERT"}
    assert all(record["eventSourceARN"].startswith("arn:aws:dynamodb:") for record in records)
    assert all(isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int) for record in records)
    assert published == ["PositionPublished", "ApplicationSubmitted"]
    assert pump.failed == 0

    # and a second pass delivers nothing: the review counts the consumer wrote itself are on the
    # stream, and filtered out like the guards
    counts = aws.dynamodb().scan(TableName=fx.table(), FilterExpression="begins_with(pk, :s)",
                                 ExpressionAttributeValues={":s": {"S": "STATS#"}})["Items"]  # fmt: skip
    assert counts  # (the counts were written)
    assert pump.poll_once() == 0
    assert published == ["PositionPublished", "ApplicationSubmitted"]
