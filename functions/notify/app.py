"""Decisions reach the citizen: domain events from the notification queue become a message (消息) and
an SMS each (``internship.notifications``), with partial batch failure reporting.

A record whose SMS the platform did not take is reported in ``batchItemFailures``: SQS gives it
again after the queue's visibility timeout and, after the last try, moves it to the dead-letter
queue (``NotificationDeadLetterQueue``, alarmed). The other records of the batch are not retried.
A batch whose every record failed (the platform down) is reported the same way, not raised: the
dead-letter queue's alarm is the signal of an outage, ``NotifyErrors`` stays the signal of a crash.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from internship.notifications import notify
from internship.observability import lambda_entry, logger

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord, lambda_context: Any) -> None:
    logger.set_correlation_id(record.message_id)  # each line names its queue message (SPEC §5)
    notify(json.loads(record.body), lambda_context)


def handle_batch(event: dict[str, Any], context: Any) -> Any:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


lambda_handler = lambda_entry(handle_batch, correlation_path=None)
