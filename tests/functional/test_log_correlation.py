"""Every log line names the request it belongs to (SPEC §5), in the functions that serve no proxy
request too: the authorizer names the gateway's request (the same id the function behind it logs),
the stream publisher and the notifier the record each line is about, the schedule its event."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from localrun.events import api_event, authorizer_request
from tests.conftest import load_handler
from tests.functional.stream_records import APPLICATION, record


@contextlib.contextmanager
def _captured(lines: list[dict[str, Any]]) -> Iterator[None]:
    """The shared logger's JSON lines while the block runs, appended to ``lines`` at its end."""
    from internship.observability import logger

    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    output = io.StringIO()
    stream = handler.setStream(output)
    try:
        yield
    finally:
        handler.setStream(stream)
        lines.extend(json.loads(line) for line in output.getvalue().splitlines() if line.startswith("{"))


def test_the_authorizers_lines_name_the_gateways_request(aws_backend: None, lambda_context: Any) -> None:
    # A request with no session at all: the authorizer logs why it refused, then API Gateway answers 401.
    request = api_event("GET", "/me", request_id="gateway-request-42")
    event = authorizer_request(request, "arn:aws:execute-api:us-east-1:123456789012:localapi/local/GET/me")
    lines: list[dict[str, Any]] = []
    with _captured(lines), pytest.raises(Exception, match="Unauthorized"):
        load_handler("authorizer").lambda_handler(event, lambda_context)
    assert [line["message"] for line in lines] == ["no session credentials"]
    assert {line.get("correlation_id") for line in lines} == {"gateway-request-42"}


def test_the_publishers_lines_name_their_stream_record(aws_backend: None, lambda_context: Any) -> None:
    # A readable submission and an unreadable record: each logs, and each line names its own record.
    good = record("INSERT", new=APPLICATION)
    bad = record("INSERT", new=APPLICATION)
    bad["dynamodb"]["NewImage"]["status"] = {"Q": "??"}
    lines: list[dict[str, Any]] = []
    with _captured(lines):
        load_handler("event_publisher").lambda_handler({"Records": [good, bad]}, lambda_context)
    published = [line for line in lines if line["message"] == "domain event published"]
    assert [line.get("correlation_id") for line in published] == [good["eventID"]]
    failed = [line for line in lines if line["level"] == "ERROR"]
    assert failed
    assert {line.get("correlation_id") for line in failed} == {bad["eventID"]}


def test_the_notifiers_lines_name_their_queue_message(aws_backend: None, lambda_context: Any) -> None:
    # An event that tells citizens nothing: logged as such, under the message it came in.
    body = json.dumps({"id": "bus-event-1", "detail-type": "PositionCreated", "detail": {}})
    message = {"messageId": "queue-message-7", "receiptHandle": "r", "body": body, "attributes": {},
               "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
               "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:notify", "awsRegion": "us-east-1"}  # fmt: skip
    lines: list[dict[str, Any]] = []
    with _captured(lines):
        load_handler("notify").lambda_handler({"Records": [message]}, lambda_context)
    assert [line["message"] for line in lines] == ["event of no change told to citizens"]
    assert {line.get("correlation_id") for line in lines} == {"queue-message-7"}


def test_the_follow_up_watchs_lines_name_the_schedules_event(aws_backend: None, lambda_context: Any) -> None:
    event = {"id": "schedule-event-3", "detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}
    lines: list[dict[str, Any]] = []
    with _captured(lines):
        load_handler("follow_up_watch").lambda_handler(event, lambda_context)
    assert [line["message"] for line in lines] == ["overdue follow-ups counted"]
    assert {line.get("correlation_id") for line in lines} == {"schedule-event-3"}
