"""DynamoDB access for applications: item shapes, the submit and withdraw transactions, the reads.

Items (keys per ``internship.keys``; attributes camelCase):

- application ``APPLICATION#<id>``/``APPLICATION``: applicationId, referenceNo, personId, status,
  submittedAt, month, positionId, positionTitle, unitName, applicant {name, idNumber, gender,
  birthDate}, form {...}, attachmentIds, attachments (a snapshot of each attachment at submission:
  attachmentId, kind, fileName, contentType, size, s3Key, status — so the detail is one Query),
  copyFrom, updatedAt, regionCode (the position's: the application's jurisdiction), and
  gsi1pk/gsi1sk (mine), gsi2pk/gsi2sk (mine by status), gsi3pk/gsi3sk and gsi4pk/gsi4sk (the city's
  and the county's review queue by status), withdrawnGsi3pk/withdrawnGsi4pk (the queue keys a
  withdrawal copies, see ``keys``). Every status move rewrites gsi2pk, gsi3pk and gsi4pk.
- history entry ``APPLICATION#<id>``/``HISTORY#<at>#<seq>``: at, action, actor, reason, status.
- guard ``PERSON#<personId>``/``ACTIVE``: applicationId, while the person has a PENDING or
  APPROVED application (one active application per person).
- reference guard ``REFERENCE#<referenceNo>``/``REFERENCE``: applicationId (unique referenceNo).

Races are settled by DynamoDB conditions inside one ``TransactWriteItems``, never by reading first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from botocore.exceptions import ClientError

from internship import aws, cursors, errors, keys
from internship.aws_errors import error_code
from internship.dynamo import from_item, to_item, to_value
from internship.observability import logger
from internship.settings import get_settings
from internship.transactions import CONDITION_FAILED, Cancelled, Transaction

# Sequence numbers of history entries: the submission is step 0, the one move out of PENDING step 1.
SUBMITTED_SEQ, FIRST_MOVE_SEQ = 0, 1

# The submit transaction names each attachment's element ``attachment:<id>``.
ATTACHMENT_ITEM = "attachment:"
# A withdrawal meeting a concurrent write on the application retries briefly (bounded), then says "busy".
WITHDRAW_ATTEMPTS = 4
WITHDRAW_BACKOFF_SECONDS = 0.05
BUSY_MESSAGE = "该申请正在办理中，请稍后再试"

BATCH_ATTEMPTS = 3  # unprocessed keys come back only under throttling: a few tries, then 429

SNAPSHOT_FIELDS = ("attachmentId", "kind", "fileName", "contentType", "size", "s3Key", "status")


def _table() -> str:
    return get_settings().table_name


# --- reads -------------------------------------------------------------------------------------


@dataclass
class SubmitReads:
    """Everything a submission needs, read in one BatchGetItem."""

    profile: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)
    copy_from: dict[str, Any] | None = None
    # The person's one-active-application guard, if any: a second submission fails early and
    # clearly (the transaction still decides races).
    active: dict[str, Any] | None = None


def read_for_submit(
    person_id: str, position_id: str | None, attachment_ids: Sequence[str], copy_from: str | None
) -> SubmitReads:
    """Profile, guard, position, attachments and the withdrawn application to copy from: one round
    trip (unprocessed keys, returned only under throttling, are read again). ``None``: not read."""
    wanted = [keys.person(person_id), keys.active_guard(person_id)]
    if position_id:
        wanted.append(keys.position(position_id))
    wanted += [keys.attachment(a) for a in dict.fromkeys(attachment_ids)]
    if copy_from:
        wanted.append(keys.application(copy_from))
    request: dict[str, Any] = {
        _table(): {"Keys": [to_item(k) for k in _unique(wanted)], "ConsistentRead": True},
    }
    reads = SubmitReads()
    for attempt in range(BATCH_ATTEMPTS + 1):
        if not request:
            break
        if attempt == BATCH_ATTEMPTS:
            raise errors.Throttled()
        response = aws.dynamodb().batch_get_item(RequestItems=request)
        for raw in response.get("Responses", {}).get(_table(), []):
            item = from_item(raw) or {}
            pk, sk = str(item.get(keys.PK)), str(item.get(keys.SK))
            if sk == "PROFILE":
                reads.profile = item
            elif sk == "ACTIVE":
                reads.active = item
            elif sk == "POSITION":
                reads.position = item
            elif sk == "ATTACHMENT":
                reads.attachments[str(item.get("attachmentId"))] = item
            elif sk == "APPLICATION" and pk == keys.application(copy_from or "")[keys.PK]:
                reads.copy_from = item
        request = dict(response.get("UnprocessedKeys") or {})
    return reads


def _unique(wanted: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for key in wanted:
        seen.setdefault((key[keys.PK], key[keys.SK]), key)
    return list(seen.values())


def read_with_history(application_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The application and its history entries, oldest first: one Query on its partition.

    Strongly consistent: the applicant (and the reviewer) must see the move they just made."""
    response = aws.dynamodb().query(
        TableName=_table(),
        KeyConditionExpression="#pk = :pk",
        ExpressionAttributeNames={"#pk": keys.PK},
        ExpressionAttributeValues={":pk": to_value(keys.application_partition(application_id))},
        ConsistentRead=True,
    )
    application: dict[str, Any] | None = None
    history: list[dict[str, Any]] = []
    for raw in response.get("Items", []):
        item = from_item(raw) or {}
        if item.get(keys.SK) == "APPLICATION":
            application = item
        elif str(item.get(keys.SK, "")).startswith("HISTORY#"):
            history.append(item)
    return application, history


@dataclass(frozen=True)
class ListQuery:
    """Which index and key condition answer a combination of my-cases filters."""

    index: str
    pk_attribute: str
    sk_attribute: str
    pk_value: str
    sk_prefix: str | None


def list_query(person_id: str, status: str | None, month: str | None) -> ListQuery:
    """No filter or month only: GSI1 (mine); status, with or without month: GSI2 (mine by status).
    A month is a prefix of the sort key (``submittedAt`` starts with ``YYYY-MM``)."""
    if status:
        return ListQuery(keys.GSI2, "gsi2pk", "gsi2sk", keys.my_applications_by_status(person_id, status), month)
    return ListQuery(keys.GSI1, "gsi1pk", "gsi1sk", keys.my_applications(person_id), month)


def query_page(
    query: ListQuery, limit: int, start_key: Mapping[str, str] | None
) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """One Query, newest first, reading exactly the items it returns (no filter expression)."""
    condition = "#pk = :pk"
    names = {"#pk": query.pk_attribute}
    values: dict[str, Any] = {":pk": to_value(query.pk_value)}
    if query.sk_prefix:
        condition += " AND begins_with(#sk, :prefix)"
        names["#sk"] = query.sk_attribute
        values[":prefix"] = to_value(query.sk_prefix)
    params: dict[str, Any] = {
        "TableName": _table(),
        "IndexName": query.index,
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if start_key:
        params["ExclusiveStartKey"] = to_item(start_key)
    try:
        response = aws.dynamodb().query(**params)
    except ClientError as error:
        if error_code(error) == "ValidationException" and start_key:
            raise errors.ValidationFailed.on("cursor", "分页参数无效，请从第一页重新查询") from error
        raise
    items = [from_item(raw) or {} for raw in response.get("Items", [])]
    last = response.get("LastEvaluatedKey")
    return items, ({k: str(v) for k, v in (from_item(last) or {}).items()} if last else None)


def encode_cursor(key: Mapping[str, str]) -> str | None:
    return cursors.encode(key)


def decode_cursor(cursor: str, query: ListQuery) -> dict[str, str]:
    """The last key a cursor carries, checked to belong to this very query (else 422 on ``cursor``)."""
    index = query.pk_attribute.removesuffix("pk")
    return cursors.decode(
        cursor, index=index, partition=query.pk_value, item_type="APPLICATION", sort_prefix=query.sk_prefix
    )


# --- submit ------------------------------------------------------------------------------------


def application_item(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored application: ``data`` plus its keys and index keys."""
    application_id, person_id, status = data["applicationId"], data["personId"], data["status"]
    listing = keys.listing_sk(data["submittedAt"], application_id)
    return {
        **keys.application(application_id),
        **data,
        "gsi1pk": keys.my_applications(person_id),
        "gsi1sk": listing,
        "gsi2pk": keys.my_applications_by_status(person_id, status),
        "gsi2sk": listing,
        **queue_keys(data["regionCode"], status, listing),
    }


def queue_keys(region_code: str, status: str, listing: str) -> dict[str, str]:
    """The review-queue keys of an application in ``status``, plus the ones its withdrawal will copy."""
    withdrawn = keys.queue_keys(region_code, "WITHDRAWN", listing)
    return {
        **keys.queue_keys(region_code, status, listing),
        "withdrawnGsi3pk": withdrawn["gsi3pk"],
        "withdrawnGsi4pk": withdrawn["gsi4pk"],
    }


def history_item(application_id: str, at: str, seq: int, action: str, actor: str, status: str) -> dict[str, Any]:
    return {
        keys.PK: keys.application_partition(application_id),
        keys.SK: keys.history_sk(at, seq),
        "applicationId": application_id,
        "at": at,
        "action": action,
        "actor": actor,
        "status": status,
    }


def snapshot(attachment: Mapping[str, Any]) -> dict[str, Any]:
    """What the application keeps of an attachment, to answer the detail without reading it."""
    return {name: attachment.get(name) for name in SNAPSHOT_FIELDS}


class ReferenceTaken(Exception):
    """The random reference number exists already (rare): the caller draws another."""


def create(
    application: Mapping[str, Any],
    history: Mapping[str, Any],
    today: str,
    reused_from: str | None,
) -> None:
    """Write the application in one transaction: the application, its first history entry, the
    active-application guard, the reference guard, the position still OPEN, and each attachment
    bound to it (the applicant's, confirmed, and free or bound to the withdrawn ``copyFrom``)."""
    table = _table()
    application_id, person_id = application["applicationId"], application["personId"]
    not_exists = "attribute_not_exists(#pk)"
    pk_name = {"#pk": keys.PK}
    tx = Transaction()
    tx.add(
        "application",
        {
            "Put": {
                "TableName": table,
                "Item": to_item(application),
                "ConditionExpression": not_exists,
                "ExpressionAttributeNames": pk_name,
            }
        },
    )
    tx.add(
        "history",
        {
            "Put": {
                "TableName": table,
                "Item": to_item(history),
                "ConditionExpression": not_exists,
                "ExpressionAttributeNames": pk_name,
            }
        },
    )
    tx.add(
        "guard",
        {
            "Put": {
                "TableName": table,
                "ConditionExpression": not_exists,
                "ExpressionAttributeNames": pk_name,
                "Item": to_item(
                    {
                        **keys.active_guard(person_id),
                        "applicationId": application_id,
                        "createdAt": application["submittedAt"],
                    }
                ),
            }
        },
    )
    tx.add(
        "reference",
        {
            "Put": {
                "TableName": table,
                "ConditionExpression": not_exists,
                "ExpressionAttributeNames": pk_name,
                "Item": to_item({**keys.reference(application["referenceNo"]), "applicationId": application_id}),
            }
        },
    )
    tx.add("position", {"ConditionCheck": {
        "TableName": table,
        "Key": to_item(keys.position(application["positionId"])),
        "ConditionExpression": "#status = :open AND #deadline >= :today",
        "ExpressionAttributeNames": {"#status": "status", "#deadline": "deadline"},
        "ExpressionAttributeValues": {":open": to_value("OPEN"), ":today": to_value(today)},
    }})  # fmt: skip
    free = "attribute_not_exists(#app)" + (" OR #app = :reused" if reused_from else "")
    for attachment_id in application["attachmentIds"]:
        values = {":app": to_value(application_id), ":me": to_value(person_id), ":uploaded": to_value("UPLOADED")}
        if reused_from:
            values[":reused"] = to_value(reused_from)
        tx.add(f"{ATTACHMENT_ITEM}{attachment_id}", {"Update": {
            "TableName": table,
            "Key": to_item(keys.attachment(attachment_id)),
            "UpdateExpression": "SET #app = :app",
            "ConditionExpression": f"#owner = :me AND #status = :uploaded AND ({free})",
            "ExpressionAttributeNames": {"#app": "applicationId", "#owner": "ownerId", "#status": "status"},
            "ExpressionAttributeValues": values,
        }})  # fmt: skip
    try:
        tx.commit()
    except Cancelled as cancelled:
        _explain_submit_cancellation(cancelled)


def _explain_submit_cancellation(cancelled: Cancelled) -> NoReturn:
    """Decode a cancelled submission by item name (never by position in the transaction)."""
    if cancelled.throttled:
        raise errors.Throttled() from cancelled
    failed = cancelled.failed_names()
    # A concurrent transaction on the guard is another submission of this person in flight.
    if "guard" in failed:
        raise errors.ActiveApplicationExists() from cancelled
    if "position" in failed:
        raise errors.PositionClosed() from cancelled
    if any(name.startswith(ATTACHMENT_ITEM) for name in failed):
        raise errors.ValidationFailed.on("attachmentIds", "附件已变更或已用于其他申请，请刷新后重新提交") from cancelled
    if failed == {"reference"}:
        raise ReferenceTaken() from cancelled
    raise errors.Conflict() from cancelled


# --- withdraw ----------------------------------------------------------------------------------


def withdraw(
    application_id: str, person_id: str, at: str, actor: str = "applicant", expires_at: int | None = None
) -> None:
    """PENDING → WITHDRAWN in one transaction: the move (the person's own, still PENDING), its
    history entry, and the release of the person's guard (only if it is this application's).

    A ``TransactionConflict`` means a decision (or another withdrawal) is writing this application
    at this very moment: the transaction is retried a few times with a short backoff, and if the
    application is still contended the answer is 503 "busy", never a false ``NOT_WITHDRAWABLE``
    (once the other write has committed, the retry sees its outcome and answers by it)."""
    for attempt in range(WITHDRAW_ATTEMPTS):
        try:
            _withdraw_transaction(application_id, person_id, at, actor, expires_at).commit()
            return
        except Cancelled as cancelled:
            if cancelled.throttled:
                raise errors.Throttled() from cancelled
            first = cancelled.reason("application")
            if first.code == CONDITION_FAILED:
                if not first.item or first.item.get("personId") != person_id:
                    raise errors.NotFound("未找到该申请") from cancelled
                raise errors.NotWithdrawable() from cancelled
            if not cancelled.conflicted:
                raise errors.Conflict() from cancelled
            if attempt < WITHDRAW_ATTEMPTS - 1:
                time.sleep(WITHDRAW_BACKOFF_SECONDS * 2**attempt * (0.5 + random.random()))  # noqa: S311 - jitter
    logger.warning("withdrawal still contended after retries", extra={"applicationId": application_id})
    raise errors.ServiceUnavailable(BUSY_MESSAGE)


def _withdraw_transaction(
    application_id: str, person_id: str, at: str, actor: str, expires_at: int | None = None
) -> Transaction:
    """``expires_at``: the retention TTL (``internship.retention``) of the application and the entry."""
    table = _table()
    values = {
        ":withdrawn": to_value("WITHDRAWN"),
        ":pending": to_value("PENDING"),
        ":me": to_value(person_id),
        ":mine": to_value(keys.my_applications_by_status(person_id, "WITHDRAWN")),
        ":at": to_value(at),
    }
    update = (
        "SET #status = :withdrawn, gsi2pk = :mine, gsi3pk = withdrawnGsi3pk, gsi4pk = withdrawnGsi4pk, updatedAt = :at"
    )
    names = {"#status": "status"}
    entry = history_item(application_id, at, FIRST_MOVE_SEQ, "WITHDRAWN", actor, "WITHDRAWN")
    if expires_at is not None:
        update += ", #ttl = :ttl"
        names["#ttl"] = keys.TTL
        values[":ttl"] = to_value(expires_at)
        entry[keys.TTL] = expires_at
    tx = Transaction()
    tx.add("application", {"Update": {
        "TableName": table,
        "Key": to_item(keys.application(application_id)),
        # The region's queue keys were stored ready at submission: no read before this write.
        "UpdateExpression": update,
        "ConditionExpression": "personId = :me AND #status = :pending",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }})  # fmt: skip
    tx.add("history", {"Put": {
        "TableName": table,
        "Item": to_item(entry),
        "ConditionExpression": "attribute_not_exists(#pk)",
        "ExpressionAttributeNames": {"#pk": keys.PK},
    }})  # fmt: skip
    tx.add("guard", {"Delete": {
        "TableName": table,
        "Key": to_item(keys.active_guard(person_id)),
        # Tolerate a missing guard; never release a guard that belongs to another application.
        "ConditionExpression": "attribute_not_exists(applicationId) OR applicationId = :id",
        "ExpressionAttributeValues": {":id": to_value(application_id)},
    }})  # fmt: skip
    return tx
