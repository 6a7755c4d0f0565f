"""Review counts (审核统计) kept from the table's stream: applications by status, month and place,
and ratings (好差评) by level (``RATING#<level>``, in the month they were given).

For every application stream record that changes a status (submission, withdrawal, decision,
deletion) the counts of its county, city and province for its month move by one, in ONE
transaction that also writes ``COUNTED#<eventID>`` on condition it does not exist. The stream
delivers at least once (retries, bisected batches, replays): a record seen again finds its marker
and the whole transaction is cancelled, so it is counted exactly once. Counts are ``ADD``s, so
records of different applications commute and concurrent consumers never lose an update.

Items ``STATS#<prefix>#<month>``/``STATS`` (``keys.stats``): one number attribute per status, and
on a city's and the province's item one per ``<next level>#<status>`` (the county's or the city's),
so ``GET /review/stats`` is one GetItem for any jurisdiction. Like the publisher, free of pydantic.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from internship import keys
from internship.applications.items import ApplicationStatus
from internship.events.derive import MalformedRecord, _image, _kind
from internship.table import Table
from internship.transactions import Cancelled, Transaction

STATUSES = frozenset(ApplicationStatus)
RATING = "RATING#"  # ``RATING#<level>``: ratings given in the month, by level
CONFLICT_ATTEMPTS = 3  # then the record fails and Lambda redelivers it (its marker was not written)
MARKER_DAYS = 7  # longer than a stream keeps records (24 hours): any replay finds its marker


def _status(image: Mapping[str, Any]) -> str | None:
    status = image.get("status")
    return str(status) if status in STATUSES else None


def _rating_level(image: Mapping[str, Any]) -> str | None:
    level = image.get("level")
    return f"{RATING}{level}" if isinstance(level, int) and 1 <= level <= 5 else None


def deltas(record: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, int]]:
    """``{(region prefix, month): {attribute: +1/-1}}`` for one stream record; empty if nothing moves."""
    change = record.get("dynamodb")
    name = record.get("eventName")
    if not isinstance(change, Mapping) or name not in {"INSERT", "MODIFY", "REMOVE"}:
        raise MalformedRecord("not a DynamoDB stream record")
    kind = _kind(_image(change, "Keys"))
    if kind not in {"application", "rating"}:
        return {}
    new, old = _image(change, "NewImage"), _image(change, "OldImage")
    counted = _rating_level if kind == "rating" else _status
    moves: dict[str, int] = {}
    if name in {"INSERT", "MODIFY"} and (now := counted(new)):
        moves[now] = moves.get(now, 0) + 1
    if name in {"MODIFY", "REMOVE"} and (before := counted(old)):
        moves[before] = moves.get(before, 0) - 1
    moves = {status: delta for status, delta in moves.items() if delta}
    image = new or old
    region, month = str(image.get("regionCode", "")), str(image.get("month", ""))
    if not moves or len(region) != 6 or not month:
        return {}  # no status change, or an application from before jurisdictions (no regionCode)
    county, city, province = region, region[:4], region[:2]
    return {
        (county, month): dict(moves),
        (city, month): {**moves, **{f"{county}#{status}": delta for status, delta in moves.items()}},
        (province, month): {**moves, **{f"{city}#{status}": delta for status, delta in moves.items()}},
    }


def _update(table: Table, prefix: str, month: str, changes: Mapping[str, int]) -> dict[str, Any]:
    names = {f"#a{i}": attribute for i, attribute in enumerate(changes)}
    values: dict[str, Any] = {f":v{i}": delta for i, delta in enumerate(changes.values())}
    adds = ", ".join(f"#a{i} :v{i}" for i in range(len(changes)))
    return table.update_element(
        keys.stats(prefix, month),
        f"SET regionPrefix = :prefix, #month = :month ADD {adds}",
        names={**names, "#month": "month"},
        values={**values, ":prefix": prefix, ":month": month},
    )


def count(record: Mapping[str, Any]) -> bool:
    """Apply one record's moves to the counts, once; ``True`` if it moved them now."""
    changes = deltas(record)
    if not changes:
        return False
    event_id = str(record.get("eventID") or "")
    if not event_id:
        raise MalformedRecord("stream record without eventID")
    table = Table.main()
    tx = Transaction().add(
        "marker", table.put_new_element({**keys.counted(event_id), keys.TTL: int(time.time()) + MARKER_DAYS * 86400})
    )
    for (prefix, month), moves in changes.items():
        tx.add(f"{prefix}#{month}", _update(table, prefix, month, moves))
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            tx.commit()
        except Cancelled as cancelled:
            if cancelled.condition_failed("marker"):
                return False  # counted before: a retried or replayed record
            if cancelled.conflicted and attempt + 1 < CONFLICT_ATTEMPTS:
                continue  # another shard's consumer is adding to the same city or province right now
            raise
        return True
    return False  # not reached: the last attempt returns or raises


def read(prefix: str, month: str) -> dict[str, Any]:
    """The counts of a region prefix and month as stored (empty when nothing was counted): one GetItem."""
    return Table.main().get(keys.stats(prefix, month)) or {}
