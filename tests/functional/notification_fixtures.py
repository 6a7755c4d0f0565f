"""The way a change reaches a citizen, in-process: the table's stream → the event publisher → the bus
(moto, with the template's rules) → NotificationQueue → NotifyFunction → a message and an SMS to
the development SMS platform (``localrun.dev_sms``, served on a loopback port).

``channel`` (on the threaded moto server, ``moto_server``) drives both event sources by hand:
``deliver()`` pumps until nothing moves; a failed queue message is visible again at once
(``LOCALRUN_QUEUE_RETRY_SECONDS=0``), so retries and the dead-letter queue take no waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from internship import aws, keys
from internship.settings import get_settings
from internship.table import Table
from localrun import bus, dev_sms
from localrun.bus import QueuePump
from localrun.stream import StreamPump
from tests.conftest import LambdaContext, load_handler
from tests.functional import review_fixtures as fx


@dataclass
class Channel:
    outbox: dev_sms.Outbox
    stream: StreamPump
    queues: QueuePump
    invocations: list[str] = field(default_factory=list)  # every message id NotifyFunction was given

    def deliver(self, rounds: int = 30) -> None:
        """Pump the stream and the queues until two rounds in a row move nothing and fail nothing (a
        message the platform keeps failing comes back until the dead-letter queue takes it)."""
        idle = 0
        for _ in range(rounds):
            failed = self.queues.failed
            moved = self.stream.poll_once() + self.queues.poll_once()
            idle = 0 if moved or self.queues.failed != failed else idle + 1
            if idle >= 2:
                return
        raise AssertionError(f"still moving after {rounds} rounds")

    def sms(self) -> list[dict[str, str]]:
        return list(reversed(self.outbox.sent))

    def queue_depth(self, logical_id: str) -> int:
        sqs = aws._session().client("sqs")
        url = sqs.get_queue_url(QueueName=bus.queue_name(logical_id))["QueueUrl"]
        attributes = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def messages_of(person_id: str) -> list[dict[str, Any]]:
    """Every message stored for the person (a test may read the index directly)."""
    found, _ = Table.main().query(f"{keys.OWNER}pk = :p", {":p": keys.my_messages(person_id)}, index=keys.OWNER)
    return [item for item in found if item.get(keys.SK) == "MESSAGE"]


@pytest.fixture
def channel(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Channel]:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            return

    credential = bus.create(aws._session())
    platform = dev_sms.make_app(credential)
    server = make_server("127.0.0.1", 0, platform, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SMS_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}/send")
    monkeypatch.setenv("SMS_CREDENTIAL_SECRET", bus.SMS_SECRET)
    monkeypatch.setenv("SMS_TIMEOUT_SECONDS", "0.5")  # a slow platform is seen quickly
    monkeypatch.setenv("LOCALRUN_QUEUE_RETRY_SECONDS", "0")
    get_settings.cache_clear()

    publisher = load_handler("event_publisher").lambda_handler
    notify = load_handler("notify").lambda_handler
    found = Channel(platform.outbox, None, None)  # type: ignore[arg-type]

    def invoke(function: str, event: dict[str, Any]) -> Any:
        assert function == "NotifyFunction"
        found.invocations += [record["messageId"] for record in event["Records"]]
        return notify(event, LambdaContext())

    found.stream = StreamPump(
        aws.dynamodb(), boto3.client("dynamodbstreams"), fx.table(), lambda event: publisher(event, LambdaContext())
    )
    found.queues = QueuePump(aws._session().client("sqs"), invoke)
    try:
        yield found
    finally:
        platform.outbox.set_mode("ok")
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
