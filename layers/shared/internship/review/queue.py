"""The review queue (审核队列) of a jurisdiction: which index partitions answer it, and the reads.

A county's queue is one partition of GSI4 and a city's one of GSI3 (``keys.queue_keys``): one
Query, reading only what it returns. The province's is the merge of its cities' GSI3 partitions,
one Query each, oldest first. Every page's cursor is the last line's key; the next page asks each
partition for what sorts after it (``gsi3sk > :after``), so merged and single pages page alike.
"""

from __future__ import annotations

from typing import Any

from internship import cursors, keys, regions
from internship.applications.items import Application
from internship.table import Table

MONTH_END = "~"  # sorts after every character of an ISO timestamp and id: the month's upper bound
AFTER = " "  # sorts before them: the lowest sort key after a given one


def _scope(region: str, status: str, month: str | None) -> cursors.Scope:
    """The queue of ``region`` (a prefix of 2, 4 or 6 digits): its index and partitions."""
    if len(region) == 6:
        return cursors.Scope("gsi4", keys.review_queue(region, status), "APPLICATION", month)
    if len(region) == 4:
        return cursors.Scope("gsi3", keys.review_queue(region, status), "APPLICATION", month)
    cities = tuple(keys.review_queue(city, status) for city in regions.CITIES if city.startswith(region))
    return cursors.Scope("gsi3", cities, "APPLICATION", month)


def read(
    region: str, status: str, month: str | None, limit: int, cursor: str | None
) -> tuple[list[Application], str | None]:
    """Applications of ``region`` in ``status`` (and ``month``), oldest first, ``limit`` at most;
    and the cursor of the next page."""
    scope = _scope(region, status, month)
    partition_name, sort_name = scope.key_names
    after = scope.decode(cursor)[sort_name] if cursor else None
    condition, values = f"{partition_name} = :queue", {}
    if month:
        condition += f" AND {sort_name} BETWEEN :low AND :high"
        values = {":low": max(month, after + AFTER) if after else month, ":high": month + MONTH_END}
    elif after:
        condition += f" AND {sort_name} > :after"
        values = {":after": after}
    found: list[dict[str, Any]] = []
    more = False
    for partition in (scope.partition,) if isinstance(scope.partition, str) else scope.partition:
        items, last = Table.main().query(condition, {**values, ":queue": partition}, index=scope.index, limit=limit)
        found += items
        more = more or last is not None
    found.sort(key=lambda item: str(item[sort_name]))
    page = found[:limit]
    more = more or len(found) > limit
    return [Application.of(item) for item in page], scope.encode(page[-1]) if more and page else None
