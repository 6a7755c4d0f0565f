"""Drives the event publisher from the table's stream in the local run, as Lambda's poller would.

A daemon thread reads moto's DynamoDB stream (``dynamodbstreams`` GetShardIterator/GetRecords),
turns each batch into the event Lambda sends (``{"Records": [...]}`` with ``eventSourceARN``) and
invokes ``EventPublisherFunction`` in-process; the publisher logs every event it puts on the bus.
Records the publisher reports in ``batchItemFailures`` are logged and skipped (deployed, Lambda
retries them and finally sends them to ``PublisherFailureQueue``). As deployed, only the records the
event source's ``FilterCriteria`` (``template.yaml``) admit reach the publisher (``admitted``).

For the kept data (``localrun.persistence``) the pump knows how far it has delivered each shard:
``undelivered()`` are the records a snapshot keeps, and a restarted pump delivers those first
(``backlog``), with their own ``eventID``s, so each is counted once (the publisher's
``COUNTED#<eventID>`` markers) and none is lost.

    pump = start_stream_pump(moto_url, "internship-app")   # after the table exists
    ...
    pump.stop()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

log = logging.getLogger("localrun.stream")

PUBLISHER = "EventPublisherFunction"
Invoke = Callable[[dict[str, Any]], Any]


def _lambda_record(record: Mapping[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda delivers it (epoch seconds, the stream's ARN)."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**{k: v for k, v in record.items() if k != "dynamodb"}, "dynamodb": change, "eventSourceARN": stream_arn}


ABSENT = [{"exists": False}]  # a field the record must not have


def matches(pattern: Any, value: Any) -> bool:
    """Whether ``value`` matches a Lambda event filter ``pattern``: nested objects, lists of allowed
    values, exact strings, ``{"prefix": …}`` and ``{"exists": false}``, the part of the filter rule
    syntax the template uses. By hand: no library the local run already has matches Lambda's filters."""
    if isinstance(pattern, dict):
        return isinstance(value, Mapping) and all(
            k not in value if v == ABSENT else k in value and matches(v, value[k]) for k, v in pattern.items()
        )
    if isinstance(pattern, list):
        return any(_choice(choice, value) for choice in pattern)
    return pattern == value


def _choice(choice: Any, value: Any) -> bool:
    if isinstance(choice, dict) and set(choice) == {"prefix"}:
        return isinstance(value, str) and value.startswith(choice["prefix"])
    return matches(choice, value)


def admitted(filters: list[dict[str, Any]], record: Mapping[str, Any]) -> bool:
    """A stream record reaches the function when no filter is set or any filter matches it."""
    return not filters or any(matches(pattern, record) for pattern in filters)


def _default_invoke() -> Invoke:
    from localrun.containers import FunctionHost

    host = FunctionHost()
    return lambda event: host.invoke(PUBLISHER, event)


class StreamPump:
    """Polls every shard of a table's stream and hands the records to the publisher."""

    def __init__(
        self,
        dynamodb: Any,
        streams: Any,
        table_name: str,
        invoke: Invoke | None = None,
        *,
        interval: float = 0.5,
        batch_size: int = 50,
    ) -> None:
        self.dynamodb, self.streams, self.table_name = dynamodb, streams, table_name
        self.invoke = invoke or _default_invoke()
        from localrun import template

        self.filters = template.stream_filters(PUBLISHER)
        self.interval, self.batch_size = interval, batch_size
        self._iterators: dict[str, str | None] = {}
        self._delivered_to: dict[str, str] = {}  # shard → sequence number of the last record handed over
        self.backlog: list[dict[str, Any]] = []  # records of an earlier run, handed over first
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.delivered = 0
        self.failed = 0

    def _stream_arn(self) -> str:
        arn: str = self.dynamodb.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        return arn

    def poll_once(self) -> int:
        """One pass over every shard; the number of records delivered to the publisher."""
        arn = self._stream_arn()
        shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"].get("Shards", [])
        delivered = 0
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = self.streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            iterator = self._iterators[shard_id]
            if iterator is None:
                continue  # a closed shard, read to its end
            response = self.streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            self._iterators[shard_id] = response.get("NextShardIterator")
            records = [_lambda_record(record, arn) for record in response.get("Records", [])]
            if records:
                wanted = [record for record in records if admitted(self.filters, record)]
                delivered += self._deliver(wanted) if wanted else 0
                self._delivered_to[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
        return delivered

    def deliver_backlog(self) -> None:
        """Hand over the records an earlier run had not (``backlog``), in batches, once."""
        while self.backlog:
            batch = self.backlog[: self.batch_size]
            self._deliver(batch)
            del self.backlog[: len(batch)]

    def undelivered(self) -> list[dict[str, Any]]:
        """Every record not yet handed over: the backlog, then each shard's records after the last
        one delivered (a batch being delivered counts as not yet: the publisher counts once)."""
        pending = list(self.backlog)
        arn = self._stream_arn()
        delivered_to = dict(self._delivered_to)
        for shard in self.streams.describe_stream(StreamArn=arn)["StreamDescription"].get("Shards", []):
            shard_id = shard["ShardId"]
            start = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": delivered_to[shard_id]}
                if shard_id in delivered_to
                else {"ShardIteratorType": "TRIM_HORIZON"}
            )
            iterator = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, **start).get("ShardIterator")
            while iterator:
                response = self.streams.get_records(ShardIterator=iterator, Limit=1000)
                if not response.get("Records"):
                    break
                records = (_lambda_record(record, arn) for record in response["Records"])
                pending.extend(record for record in records if admitted(self.filters, record))
                iterator = response.get("NextShardIterator")
        return pending

    def _deliver(self, records: list[dict[str, Any]]) -> int:
        try:
            answer = self.invoke({"Records": records}) or {}
        except Exception:
            log.exception("event publisher failed on a batch of %d stream records", len(records))
            self.failed += len(records)
            return 0
        failures = [f.get("itemIdentifier") for f in answer.get("batchItemFailures", [])]
        if failures:
            log.warning("event publisher could not publish stream records %s", failures)
        self.failed += len(failures)
        self.delivered += len(records) - len(failures)
        return len(records) - len(failures)

    def _run(self) -> None:
        try:
            self.deliver_backlog()
        except Exception:
            log.exception("delivering the stream records of the previous run failed")
        while not self._stop.wait(self.interval):
            try:
                self.poll_once()
            except Exception:
                log.exception("reading the table's stream failed")

    def start(self) -> StreamPump:
        self._thread = threading.Thread(target=self._run, name="localrun-stream", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_stream_pump(
    endpoint_url: str, table_name: str, invoke: Invoke | None = None, backlog: list[dict[str, Any]] | None = None
) -> StreamPump:
    """Start polling ``table_name``'s stream on the moto server at ``endpoint_url``, after handing
    over ``backlog`` (records an earlier run had not delivered)."""
    import boto3

    session = boto3.session.Session()
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
    streams = session.client("dynamodbstreams", endpoint_url=endpoint_url)
    pump = StreamPump(dynamodb, streams, table_name, invoke)
    pump.backlog = list(backlog or [])
    return pump.start()
