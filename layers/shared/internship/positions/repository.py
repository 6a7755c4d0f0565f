"""Positions in the application table: item shape, index keys, cursors and conditional writes.

Item ``POSITION#<positionId>`` / ``POSITION`` (see ``internship.keys``). While a position is OPEN it
carries ``gsi1pk``/``gsi1sk`` (all open positions, newest first) and ``gsi2pk``/``gsi2sk`` (open
positions of one region, newest first); closing removes them, so both indexes are sparse and hold
only what the catalogue may list. Every catalogue read is a Query on one of them, never a Scan.

``filled`` is changed only by approvals, through ``approval_increment`` inside the review
transaction; editors' writes are conditional on the ``version`` they read (optimistic locking).
Approvals do not bump ``version``: an editor's form never carries ``filled``, so an approval in
between is no conflict, while the ``filled <= headcount`` condition still protects the places taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from internship import aws, cursors, dynamo, errors, keys
from internship.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef

OPEN, CLOSED = "OPEN", "CLOSED"
INDEX_KEYS = ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")
# Attributes of the stored item that are never answered (internal bookkeeping and keys).
INTERNAL = frozenset(
    {keys.PK, keys.SK, *INDEX_KEYS, "createdBy", "updatedBy", "createdJurisdiction", "updatedJurisdiction"}
)

# Keyword searches read on until a page is full; past this many reads in one request the page is
# answered short, with a cursor to go on (bounds the latency of a rare keyword on a huge catalogue).
MAX_READS = 10
# Chunk read per round once a filter has dropped something (keeps round trips low for keyword searches).
FOLLOW_UP_CHUNK = 100


def _table() -> str:
    return get_settings().table_name


# --- item shape ---------------------------------------------------------------------------------


def index_keys(position_id: str, region_code: str, created_at: str) -> dict[str, str]:
    """GSI keys of an OPEN position: all open (GSI1) and open by region (GSI2), newest first."""
    sort_key = keys.listing_sk(created_at, position_id)
    return {
        "gsi1pk": keys.OPEN_POSITIONS,
        "gsi1sk": sort_key,
        "gsi2pk": keys.open_positions_in(region_code),
        "gsi2sk": sort_key,
    }


def new_item(
    position_id: str,
    fields: dict[str, Any],
    *,
    created_at: str,
    created_by: str | None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """The stored item of a newly published position (OPEN, nothing filled, version 1); who entered
    it and in which jurisdiction are kept (never answered)."""
    return {
        **keys.position(position_id),
        **fields,
        "positionId": position_id,
        "filled": 0,
        "status": OPEN,
        "createdAt": created_at,
        "updatedAt": created_at,
        "version": 1,
        "createdBy": created_by,
        "createdJurisdiction": jurisdiction,
        **index_keys(position_id, fields["regionCode"], created_at),
    }


def public(item: dict[str, Any]) -> dict[str, Any]:
    """The answered shape of a stored item (keys and bookkeeping left out)."""
    return {k: v for k, v in item.items() if k not in INTERNAL}


# --- cursors ------------------------------------------------------------------------------------


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    return cursors.encode(last_key)


def decode_cursor(cursor: str, *, partition_name: str, partition: str) -> dict[str, Any]:
    """The ExclusiveStartKey of a cursor made for the same index partition (else 422 on ``cursor``)."""
    index = partition_name.removesuffix("pk")
    return cursors.start_key(cursors.decode(cursor, index=index, partition=partition, item_type="POSITION"))


def _key_of(item: dict[str, Any], partition_name: str) -> dict[str, Any]:
    """The index key of a returned raw item (a valid ExclusiveStartKey after it)."""
    sort_name = partition_name.replace("pk", "sk")
    return {name: item[name] for name in (keys.PK, keys.SK, partition_name, sort_name)}


# --- reads --------------------------------------------------------------------------------------


def get(position_id: str) -> dict[str, Any] | None:
    """One position by id (OPEN or CLOSED), as stored; ``None`` if unknown. One GetItem."""

    response = aws.dynamodb().get_item(TableName=_table(), Key=dynamo.to_item(keys.position(position_id)))
    return dynamo.from_item(response.get("Item"))


def list_open(
    *, today: str, limit: int, region_code: str | None = None, keyword: str | None = None, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """Open positions, newest first, whose deadline is ``today`` or later; ``(items, nextCursor)``.

    A Query on GSI1 (all) or GSI2 (one region). The deadline and the keyword (contains, on title,
    unit name and major requirement) are filter expressions: DynamoDB applies them after ``Limit``,
    so one Query may answer fewer than ``limit`` items while more remain. To keep pages full we
    query on from the LastEvaluatedKey until ``limit`` items are collected or the index is
    exhausted. The first Query asks for exactly ``limit`` (the usual case: one round trip, every
    item read is returned); follow-ups read larger chunks and the cursor then points after the last
    item returned, not after the last item read, so nothing is skipped.
    """

    if region_code:
        index, partition_name, partition = keys.GSI2, "gsi2pk", keys.open_positions_in(region_code)
    else:
        index, partition_name, partition = keys.GSI1, "gsi1pk", keys.OPEN_POSITIONS
    start = decode_cursor(cursor, partition_name=partition_name, partition=partition) if cursor else None

    conditions = ["deadline >= :today"]
    values: dict[str, Any] = {":partition": {"S": partition}, ":today": {"S": today}}
    if keyword:
        conditions.append("(contains(title, :kw) OR contains(unitName, :kw) OR contains(majorRequirement, :kw))")
        values[":kw"] = {"S": keyword}
    request: QueryInputTypeDef = {
        "TableName": _table(),
        "IndexName": index,
        "KeyConditionExpression": f"{partition_name} = :partition",
        "FilterExpression": " AND ".join(conditions),
        "ExpressionAttributeValues": values,
        "ScanIndexForward": False,
    }

    found: list[dict[str, Any]] = []
    next_key: dict[str, Any] | None = None
    chunk = limit
    for _ in range(MAX_READS):
        if start:
            request["ExclusiveStartKey"] = start
        request["Limit"] = chunk
        response = aws.dynamodb().query(**request)
        page = response.get("Items", [])
        last = response.get("LastEvaluatedKey")
        wanted = limit - len(found)
        if len(page) > wanted:
            # Read past the page's end: go on after the last item answered.
            found.extend(page[:wanted])
            next_key = _key_of(page[wanted - 1], partition_name)
            break
        found.extend(page)
        next_key = last
        if not last or len(found) == limit:
            break
        start = last
        chunk = max(limit - len(found), FOLLOW_UP_CHUNK)
    items = [public(item) for item in (dynamo.from_item(raw) for raw in found) if item]
    return items, encode_cursor(next_key)


# --- writes -------------------------------------------------------------------------------------


def put_new(item: dict[str, Any]) -> None:
    """Store a new position (its id is fresh; the condition guards against a uuid collision)."""
    from botocore.exceptions import ClientError

    try:
        aws.dynamodb().put_item(
            TableName=_table(), Item=dynamo.to_item(item), ConditionExpression="attribute_not_exists(pk)"
        )
    except ClientError as error:
        if dynamo.error_code(error) == "ConditionalCheckFailedException":
            raise errors.Conflict() from error
        raise


def update(
    position_id: str,
    fields: dict[str, Any],
    *,
    version: int,
    status: str,
    created_at: str,
    updated_at: str,
    updated_by: str | None,
    jurisdiction: str | None = None,
) -> dict[str, Any]:
    """Replace the editable fields, conditional on ``version`` and on ``filled <= headcount``.

    ``status`` is the one read before (closing bumps the version, so the version condition also
    guarantees it is unchanged): an OPEN position gets its region index key rewritten (the region
    may have changed). Answers the stored item after the update. Failures: unknown id → 404,
    version moved on → 409 ``CONFLICT``, headcount below the places already taken → 422.
    """
    from botocore.exceptions import ClientError

    assignments = {**fields, "updatedAt": updated_at}
    if updated_by:
        assignments["updatedBy"] = updated_by
    if jurisdiction:
        assignments["updatedJurisdiction"] = jurisdiction
    if status == OPEN:
        assignments.update(index_keys(position_id, fields["regionCode"], created_at))
    names = {f"#f{i}": name for i, name in enumerate(assignments)}
    values = {f":v{i}": dynamo.to_value(value) for i, value in enumerate(assignments.values())}
    sets = [f"#f{i} = :v{i}" for i in range(len(assignments))]
    values.update({":version": dynamo.to_value(version), ":one": dynamo.to_value(1)})
    try:
        response = aws.dynamodb().update_item(
            TableName=_table(),
            Key=dynamo.to_item(keys.position(position_id)),
            UpdateExpression="SET " + ", ".join([*sets, "version = version + :one"]),
            ConditionExpression="attribute_exists(pk) AND version = :version AND filled <= :v_headcount",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={**values, ":v_headcount": dynamo.to_value(fields["headcount"])},
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if dynamo.error_code(error) != "ConditionalCheckFailedException":
            raise
        old = dynamo.from_item(getattr(error, "response", {}).get("Item")) or get(position_id)
        if old is None:
            raise errors.NotFound("未找到该见习岗位") from error
        if old.get("version") != version:
            raise errors.Conflict("该岗位信息已被他人修改，请刷新后重试") from error
        raise errors.ValidationFailed.on(
            "headcount", f"招募人数不能少于已录用人数（{old.get('filled', 0)}人）"
        ) from error
    item = dynamo.from_item(response.get("Attributes"))
    assert item is not None  # noqa: S101 - ReturnValues=ALL_NEW always answers the item
    return item


def close(
    position_id: str, *, updated_at: str, updated_by: str | None, jurisdiction: str = ""
) -> tuple[dict[str, Any], bool]:
    """Close an OPEN position of ``jurisdiction`` (a region prefix) and take it out of the catalogue
    indexes; ``(item, closed_now)``. One UpdateItem: the jurisdiction is a condition of the write.

    Closing a CLOSED position, or one outside the jurisdiction, changes nothing and answers it as
    stored (``closed_now`` false): the caller decides what the outside one is (404).
    """
    from botocore.exceptions import ClientError

    try:
        response = aws.dynamodb().update_item(
            TableName=_table(),
            Key=dynamo.to_item(keys.position(position_id)),
            UpdateExpression=(
                "SET #status = :closed, updatedAt = :at, updatedBy = :by, updatedJurisdiction = :jurisdiction, "
                "version = version + :one REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk"
            ),
            ConditionExpression="attribute_exists(pk) AND #status = :open AND begins_with(regionCode, :jurisdiction)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":closed": {"S": CLOSED},
                ":open": {"S": OPEN},
                ":at": {"S": updated_at},
                ":by": {"S": updated_by or ""},
                ":jurisdiction": {"S": jurisdiction},
                ":one": {"N": "1"},
            },
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as error:
        if dynamo.error_code(error) != "ConditionalCheckFailedException":
            raise
        old = dynamo.from_item(getattr(error, "response", {}).get("Item"))
        if old is None:
            raise errors.NotFound("未找到该见习岗位") from error
        return old, False
    item = dynamo.from_item(response.get("Attributes"))
    assert item is not None  # noqa: S101 - ReturnValues=ALL_NEW always answers the item
    return item, True


def approval_increment(position_id: str) -> dict[str, Any]:
    """The ``TransactWriteItems`` element that takes one place of a position on approval.

    For the review transaction (issue 7): ``ADD filled 1`` on condition that the position exists,
    is OPEN and ``filled < headcount``. Put it in the same ``transact_write_items`` call as the
    application's status move, so either both happen or neither. When it is the cancelled element
    (``dynamo.cancellation_codes(error)[i] == "ConditionalCheckFailed"``), the reason's ``Item``
    (``ReturnValuesOnConditionCheckFailure=ALL_OLD``) tells why: absent or ``status`` CLOSED →
    ``errors.PositionClosed``, otherwise full → ``errors.PositionFull``. ``version`` is not bumped
    (see the module docstring). The deadline is not checked: an application submitted in time
    may be approved after it.
    """
    return {
        "Update": {
            "TableName": _table(),
            "Key": dynamo.to_item(keys.position(position_id)),
            "UpdateExpression": "ADD filled :one",
            "ConditionExpression": "attribute_exists(pk) AND #status = :open AND filled < headcount",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":open": {"S": OPEN}},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
    }
