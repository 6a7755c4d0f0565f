"""The review queue (审核队列) of a jurisdiction: which index partitions answer it, and the reads.

A county's queue is one partition of GSI4 and a city's one of GSI3 (``keys.queue_keys``): one
Query, reading only what it returns. The province's is the merge of its cities' GSI3 partitions,
one Query each, oldest first. Every page's cursor is the last line's key; the next page asks each
partition for what sorts after it (``gsi3sk > :after``), so merged and single pages page alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from internship import aws, cursors, dynamo, keys, regions
from internship.settings import get_settings

MONTH_END = "~"  # sorts after every character of an ISO timestamp and id: the month's upper bound
AFTER = " "  # sorts before them: the lowest sort key after a given one


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def _partitions(scope: str, status: str) -> tuple[str, list[str]]:
    """``(index, partitions)`` of the queue of ``scope`` (a region prefix of 2, 4 or 6 digits)."""
    if len(scope) == 6:
        return "gsi4", [keys.review_queue(scope, status)]
    if len(scope) == 4:
        return "gsi3", [keys.review_queue(scope, status)]
    return "gsi3", [keys.review_queue(city, status) for city in regions.CITIES if city.startswith(scope)]


def _query(index: str, partition: str, month: str | None, limit: int, after: str | None) -> dict[str, Any]:
    partition_name, sort_name = f"{index}pk", f"{index}sk"
    values: dict[str, Any] = {":queue": {"S": partition}}
    condition = f"{partition_name} = :queue"
    if month:
        condition += f" AND {sort_name} BETWEEN :low AND :high"
        low = max(month, after + AFTER) if after else month
        values.update({":low": {"S": low}, ":high": {"S": month + MONTH_END}})
    elif after:
        condition += f" AND {sort_name} > :after"
        values[":after"] = {"S": after}
    response = aws.dynamodb().query(
        TableName=get_settings().table_name,
        IndexName=index.upper(),
        KeyConditionExpression=condition,
        ExpressionAttributeValues=values,
        ScanIndexForward=True,
        Limit=limit,
    )
    return dict(response)


def read(scope: str, status: str, month: str | None, limit: int, cursor: str | None) -> Page:
    """Applications of ``scope`` in ``status`` (and ``month``), oldest first, ``limit`` at most."""
    index, partitions = _partitions(scope, status)
    partition_name, sort_name = f"{index}pk", f"{index}sk"
    after = None
    if cursor:
        plain = cursors.decode(cursor, index=index, partition=partitions, item_type="APPLICATION", sort_prefix=month)
        after = plain[sort_name]
    found: list[dict[str, Any]] = []
    more = False
    for partition in partitions:
        response = _query(index, partition, month, limit, after)
        found += response.get("Items", [])
        more = more or bool(response.get("LastEvaluatedKey"))
    found.sort(key=lambda raw: raw[sort_name]["S"])
    more = more or len(found) > limit
    page = found[:limit]
    next_cursor = None
    if more and page:
        last = page[-1]
        next_cursor = cursors.encode({name: last[name] for name in (keys.PK, keys.SK, partition_name, sort_name)})
    items = [item for item in (dynamo.from_item(raw) for raw in page) if item]
    return Page(items, next_cursor)
