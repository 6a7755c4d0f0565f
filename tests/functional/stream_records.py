"""DynamoDB stream records as Lambda receives them (NEW_AND_OLD_IMAGES), for the publisher tests."""

from __future__ import annotations

import itertools
from typing import Any

from internship import dynamo
from internship.applications.items import Application

_sequence = itertools.count(100)
ID_NUMBER = "11010519491231002X"
# An application as stored (built by internship.applications.items), personal data included: the events
# derived from it must carry none of it.
APPLICATION: dict[str, Any] = Application(
    application_id="a1",
    reference_no="JX20250305A1",
    person_id="p1",
    position_id="pos1",
    status="PENDING",
    submitted_at="2025-03-05T10:00:00.000+08:00",
    month="2025-03",
    applicant={"name": "张三", "idNumber": ID_NUMBER, "gender": "FEMALE", "birthDate": "1949-12-31"},
    form={"phone": "13812345678"},
).item()
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
