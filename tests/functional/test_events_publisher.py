"""The event publisher: stream batch in, EventBridge events out, partial failures reported."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from internship import aws
from tests.conftest import load_handler
from tests.functional.stream_records import APPLICATION, ID_NUMBER, record, sequence_of

POSITION = {
    "pk": "POSITION#pos1",
    "sk": "POSITION",
    "positionId": "pos1",
    "status": "OPEN",
    "contactPhone": "13900001111",
    "createdAt": "2025-01-01T09:00:00.000+08:00",
}


@pytest.fixture
def bus_queue(aws_backend: None) -> str:
    """An SQS queue receiving every event of the bus (what a subscriber would see)."""
    import boto3

    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="bus-tap")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = os.environ["EVENT_BUS_NAME"]  # the bus the template gives every function
    aws.events().put_rule(Name="tap", EventBusName=bus, EventPattern=json.dumps({"source": ["internship"]}))
    aws.events().put_targets(Rule="tap", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    return str(url)


def received(url: str) -> list[dict[str, Any]]:
    import boto3

    messages = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]


def test_one_bad_record_is_reported_and_the_others_are_published(bus_queue, lambda_context):
    # Given a batch with a submission, an unreadable record, a new position, a guard and an approval
    bad = record("INSERT", new=APPLICATION)
    bad["dynamodb"]["NewImage"]["status"] = {"Q": "??"}
    approved = {**APPLICATION, "status": "APPROVED", "decidedAt": "2025-03-06T09:00:00.000+08:00"}
    batch = [
        record("INSERT", new=APPLICATION),
        bad,
        record("INSERT", new=POSITION),
        record("INSERT", new={"pk": "PERSON#p1", "sk": "ACTIVE", "applicationId": "a1"}),
        record("MODIFY", new=approved, old=APPLICATION),
    ]

    # When the publisher handles it
    answer = load_handler("event_publisher").lambda_handler({"Records": batch}, lambda_context)

    # Then only the bad record is reported failed, and the three events reached the bus
    assert answer == {"batchItemFailures": [{"itemIdentifier": sequence_of(bad)}]}
    events = received(bus_queue)
    assert sorted(e["detail-type"] for e in events) == [
        "ApplicationApproved",
        "ApplicationSubmitted",
        "PositionPublished",
    ]
    assert {e["source"] for e in events} == {"internship"}
    # and no event carries an ID number, a name or a phone
    text = json.dumps(events, ensure_ascii=False)
    for personal in (ID_NUMBER, "张三", "13812345678", "13900001111"):
        assert personal not in text


class RefusingEvents:
    """EventBridge that refuses entries of one detail type (as PutEvents reports a failed entry)."""

    def __init__(self, refused: str) -> None:
        self.refused = refused
        self.accepted: list[str] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        (entry,) = Entries
        if entry["DetailType"] == self.refused:
            return {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure", "ErrorMessage": "x"}]}
        self.accepted.append(entry["DetailType"])
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "1"}]}


def test_a_refused_put_events_entry_fails_only_its_record(monkeypatch, lambda_context):
    fake = RefusingEvents("PositionPublished")
    position = record("INSERT", new=POSITION)
    batch = [record("INSERT", new=APPLICATION), position]

    with monkeypatch.context() as patch:
        patch.setattr(aws, "events", lambda: fake)
        answer = load_handler("event_publisher").lambda_handler({"Records": batch}, lambda_context)

    assert answer == {"batchItemFailures": [{"itemIdentifier": sequence_of(position)}]}
    assert fake.accepted == ["ApplicationSubmitted"]
