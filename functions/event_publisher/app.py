"""Domain events from the table's stream to EventBridge, and the review counts (审核统计) kept from it,
with partial batch failure reporting.

A record that fails (unreadable, or EventBridge refused its entry) is reported in
``batchItemFailures``; Lambda retries from it, bisects, and finally sends it to the on-failure
destination (``PublisherFailureQueue``). The other records of the batch are not lost.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from internship.events.publisher import publish_record
from internship.observability import lambda_entry, logger

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    logger.set_correlation_id(record.event_id)  # each line names its stream record (SPEC §5)
    publish_record(record.raw_event)


def handle_batch(event: dict[str, Any], context: Any) -> Any:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


lambda_handler = lambda_entry(handle_batch, correlation_path=None)
