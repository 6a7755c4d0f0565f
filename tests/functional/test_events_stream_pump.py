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

    # Then every record reached the publisher in Lambda's shape and the two events were put
    assert delivered == 5  # position, application, history entry, guard, reference number's guard
    records = [record for batch in batches for record in batch]
    assert {record["eventName"] for record in records} == {"INSERT"}
    assert all(record["eventSourceARN"].startswith("arn:aws:dynamodb:") for record in records)
    assert all(isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int) for record in records)
    assert published == ["PositionPublished", "ApplicationSubmitted"]
    assert pump.failed == 0

    # and a second pass delivers only what is new: the review counts the consumer wrote itself
    # (which count nothing and publish nothing), and a third nothing
    seen = len(records)
    pump.poll_once()
    own = [record["dynamodb"]["Keys"]["pk"]["S"] for batch in batches for record in batch][seen:]
    assert own
    assert all(pk.startswith(("STATS#", "COUNTED#")) for pk in own), own
    assert published == ["PositionPublished", "ApplicationSubmitted"]
    assert pump.poll_once() == 0
