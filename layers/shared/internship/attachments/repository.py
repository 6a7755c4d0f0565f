"""The attachment item in the application table, and every DynamoDB access to it.

Item ``ATTACHMENT#<attachmentId>`` / ``ATTACHMENT`` (``keys.attachment``), attributes in camelCase:

| attribute | value |
| --- | --- |
| ``attachmentId`` | random id (32 hex characters) |
| ``ownerId`` | ``personId`` of the citizen who created it; nobody else sees it (404) |
| ``kind`` | ``ID_CARD`` / ``EMPLOYMENT_CERTIFICATE`` / ``DIPLOMA`` / ``INTERNSHIP_AGREEMENT`` / ``OTHER`` |
| ``fileName`` | original file name as declared (may be Chinese), ≤ 100 characters |
| ``contentType`` | ``application/pdf`` / ``image/jpeg`` / ``image/png`` (declared, then verified) |
| ``size`` | declared size in bytes (int), verified equal to the object's size on confirmation |
| ``status`` | ``AWAITING_UPLOAD`` until confirmed, then ``UPLOADED`` |
| ``s3Key`` | ``pending/<personId>/<attachmentId>``; ``confirmed/<personId>/<attachmentId>`` once UPLOADED |
| ``createdAt`` / ``confirmedAt`` | ISO 8601, +08:00 (``clock.iso``); ``confirmedAt`` only once UPLOADED |
| ``applicationId`` | set (by the applications aggregate) when a submitted application uses it |
| ``ttl`` | epoch seconds, creation + 1 day, only while ``AWAITING_UPLOAD`` (removed on confirmation) |

Only an ``UPLOADED`` attachment with no ``applicationId`` (or the same one) may be attached to an
application; the applications aggregate states that as a condition of its own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from internship import aws, dynamo, errors, keys
from internship.settings import get_settings

MAX_BATCH = 100  # BatchGetItem's limit per call


def _table() -> str:
    return get_settings().table_name


def put_new(item: Mapping[str, Any]) -> None:
    """Record a new attachment (the id is random; the condition only guards against a collision)."""

    aws.dynamodb().put_item(
        TableName=_table(),
        Item=dynamo.to_item({**keys.attachment(item["attachmentId"]), **item}),
        ConditionExpression="attribute_not_exists(pk)",
    )


def get(attachment_id: str) -> dict[str, Any] | None:
    """The attachment item (without its keys), or ``None``."""

    answer = aws.dynamodb().get_item(TableName=_table(), Key=_key(attachment_id), ConsistentRead=True)
    return _plain(answer.get("Item"))


def mark_uploaded(attachment_id: str, owner_id: str, s3_key: str, confirmed_at: str) -> dict[str, Any] | None:
    """AWAITING_UPLOAD → UPLOADED with its confirmed key, and stop its expiry.

    Returns the new item, or ``None`` when the item is not (any longer) this owner's attachment
    awaiting upload: the caller re-reads to tell "already confirmed" from "gone".
    """
    from botocore.exceptions import ClientError

    try:
        answer = aws.dynamodb().update_item(
            TableName=_table(),
            Key=_key(attachment_id),
            UpdateExpression="SET #status = :uploaded, s3Key = :key, confirmedAt = :at REMOVE #ttl",
            ConditionExpression="attribute_exists(pk) AND ownerId = :owner AND #status = :awaiting",
            ExpressionAttributeNames={"#status": "status", "#ttl": keys.TTL},
            ExpressionAttributeValues={
                ":uploaded": dynamo.to_value("UPLOADED"),
                ":awaiting": dynamo.to_value("AWAITING_UPLOAD"),
                ":key": dynamo.to_value(s3_key),
                ":at": dynamo.to_value(confirmed_at),
                ":owner": dynamo.to_value(owner_id),
            },
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if dynamo.error_code(error) == "ConditionalCheckFailedException":
            return None
        raise
    return _plain(answer.get("Attributes"))


# --- the per-person cap on open upload slots -------------------------------------------------------

MAX_PENDING_UPLOADS = 20  # unconfirmed declarations whose upload link still works, per person
SLOT_ATTEMPTS = 3


def reserve_upload_slot(person_id: str, attachment_id: str, now: int, expires_at: int) -> bool:
    """Take one of the person's ``MAX_PENDING_UPLOADS`` upload slots until ``expires_at`` (epoch s).

    False when every slot is taken by a declaration whose link still works. The slots item is
    rewritten whole (expired slots dropped) on condition that nobody rewrote it since it was read,
    so two declarations racing cannot both take the last slot."""
    from botocore.exceptions import ClientError

    key = dynamo.to_item(keys.pending_uploads(person_id))
    for _ in range(SLOT_ATTEMPTS):
        read = aws.dynamodb().get_item(TableName=_table(), Key=key, ConsistentRead=True).get("Item")
        current = dynamo.from_item(read) or {}
        slots = {name: int(until) for name, until in (current.get("slots") or {}).items() if int(until) > now}
        if len(slots) >= MAX_PENDING_UPLOADS:
            return False
        slots[attachment_id] = expires_at
        version = int(current.get("version") or 0)
        item = {**keys.pending_uploads(person_id), "slots": slots, "version": version + 1,
                keys.TTL: max(slots.values()) + 24 * 60 * 60}  # fmt: skip
        try:
            aws.dynamodb().put_item(
                TableName=_table(),
                Item=dynamo.to_item(item),
                ConditionExpression="attribute_not_exists(pk) OR version = :version",
                ExpressionAttributeValues={":version": dynamo.to_value(version)},
            )
            return True
        except ClientError as error:
            if dynamo.error_code(error) != "ConditionalCheckFailedException":
                raise
    raise errors.Conflict("操作过于频繁，请稍后再试")


def release_upload_slot(person_id: str, attachment_id: str) -> None:
    """Give the slot back once its upload is confirmed (a missing slot is already free)."""
    from botocore.exceptions import ClientError

    try:
        aws.dynamodb().update_item(
            TableName=_table(),
            Key=dynamo.to_item(keys.pending_uploads(person_id)),
            UpdateExpression="REMOVE slots.#id",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#id": attachment_id},
        )
    except ClientError as error:
        if dynamo.error_code(error) != "ConditionalCheckFailedException":
            raise


# --- for the applications and review aggregates --------------------------------------------------


def batch_keys(attachment_ids: Iterable[str]) -> list[dict[str, Any]]:
    """``Keys`` of a BatchGetItem (or ``TransactGetItems``) request, duplicates removed, order kept."""
    return [_key(attachment_id) for attachment_id in dict.fromkeys(attachment_ids)]


def get_many(attachment_ids: Iterable[str], *, consistent: bool = True) -> dict[str, dict[str, Any]]:
    """Attachments by id (missing ids are simply absent), with BatchGetItem in chunks of 100.

    Unprocessed keys are retried (a few times, then ``errors.Throttled``). One round trip for
    up to 100 ids when DynamoDB is not throttling.
    """

    pending = batch_keys(attachment_ids)
    found: dict[str, dict[str, Any]] = {}
    attempts = 0
    while pending:
        chunk, pending = pending[:MAX_BATCH], pending[MAX_BATCH:]
        request: dict[str, Any] = {_table(): {"Keys": chunk, "ConsistentRead": consistent}}
        answer = aws.dynamodb().batch_get_item(RequestItems=request)
        for raw in answer.get("Responses", {}).get(_table(), []):
            item = _plain(raw)
            if item is not None:
                found[item["attachmentId"]] = item
        left: dict[str, Any] = dict(answer.get("UnprocessedKeys") or {})
        unprocessed: list[dict[str, Any]] = list((left.get(_table()) or {}).get("Keys") or [])
        if unprocessed:
            attempts += 1
            if attempts > 3:
                raise errors.Throttled()
            time.sleep(0.05 * 2**attempts)  # back off before asking again, as DynamoDB advises
            pending = unprocessed + pending
    return found


def _key(attachment_id: str) -> dict[str, Any]:
    return {name: {"S": value} for name, value in keys.attachment(attachment_id).items()}


def _plain(raw: Mapping[str, Any] | None) -> dict[str, Any] | None:
    item = dynamo.from_item(raw)
    if item is None:
        return None
    item.pop(keys.PK, None)
    item.pop(keys.SK, None)
    return item
