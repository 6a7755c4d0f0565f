"""The one persistence layer of Powertools' idempotency utility (submissions, SMS): its records in
the idempotency table, through the house's DynamoDB client.

Powertools stores each request's INPROGRESS record with a conditional ``PutItem``. When DynamoDB
applies that put but its answer is lost (a read timeout, a 5xx), botocore's retry finds the record
it just wrote, and Powertools reads it as another invocation's: the request itself is refused as
"already in progress" (a submission's 409, an SMS put back on its queue) until the record's
in-progress expiry. ``Table.put`` settles the same case for the house's own items; here the
documented extension point (a persistence layer's ``_put_record``) does it for Powertools' record:
an INPROGRESS record equal to ours, down to its in-progress expiry in milliseconds, is our own.

Imported only on the paths that use it (Powertools' idempotency is not loaded at cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyItemAlreadyExistsError
from aws_lambda_powertools.utilities.idempotency.persistence.base import STATUS_CONSTANTS

from internship import aws
from internship.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord


def _signature(record: DataRecord) -> tuple[object, ...]:
    # A record read back without a payload hash has None where the one written has "".
    return (record.status, record.expiry_timestamp, record.in_progress_expiry_timestamp, record.payload_hash or "")


class _RetrySafe(DynamoDBPersistenceLayer):
    def _put_record(self, data_record: DataRecord) -> None:
        try:
            super()._put_record(data_record)
        except IdempotencyItemAlreadyExistsError as exists:
            stored = exists.old_data_record
            own = (
                stored is not None
                and data_record.status == STATUS_CONSTANTS["INPROGRESS"]
                and data_record.in_progress_expiry_timestamp is not None  # milliseconds: this invocation's
                and _signature(stored) == _signature(data_record)
            )
            if not own:
                raise


def persistence() -> DynamoDBPersistenceLayer:
    """The idempotency table's persistence layer; its retried INPROGRESS put meeting itself is done."""
    return _RetrySafe(table_name=get_settings().idempotency_table_name, boto3_client=aws.dynamodb())
