"""DynamoDB stream records as Lambda receives them (NEW_AND_OLD_IMAGES), for the publisher tests."""

from __future__ import annotations

import itertools
from typing import Any

from internship import dynamo

_sequence = itertools.count(100)
STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/internship-app/stream/2025-01-01T00:00:00.000"


def record(event_name: str, new: dict[str, Any] | None = None, old: dict[str, Any] | None = None) -> dict[str, Any]:
    image = new or old or {}
    sequence = str(next(_sequence))
    change: dict[str, Any] = {
        "ApproximateCreationDateTime": 1735689600,
        "Keys": dynamo.to_item({"pk": image["pk"], "sk": image["sk"]}),
        "SequenceNumber": sequence,
        "SizeBytes": 100,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if new is not None:
        change["NewImage"] = dynamo.to_item(new)
    if old is not None:
        change["OldImage"] = dynamo.to_item(old)
    return {
        "eventID": f"event-{sequence}",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": change,
        "eventSourceARN": STREAM_ARN,
    }


def sequence_of(stream_record: dict[str, Any]) -> str:
    return str(stream_record["dynamodb"]["SequenceNumber"])
