"""Rewrites the index keys of items stored under an earlier key design of the application table.

    python -m localrun.rekey --copy OLD_TABLE NEW_TABLE    # a deployment's new table (docs/operations.md)
    python -m localrun.rekey --table TABLE [--dry-run]      # in place, a table whose indexes are already new
    (--endpoint URL for a moto server or DynamoDB Local; AWS credentials and region as for the AWS CLI)

Every item keeps every attribute it has but its index keys (``gsi1pk`` … ``gsi12sk`` and the copies a
withdrawal takes, ``withdrawnGsi…``), which are computed again by the aggregate's own builder
(``rekeyed``): a position's catalogue or review keys by place and deadline, an application's queues of
its county, city and province, the whole items' lists on GSI8–GSI12. Items of kinds this design gives
no index keys (sessions, drafts, guards, history…) are written unchanged. The local run does the same
when it restores a snapshot of an earlier version (``localrun.persistence``).

Idempotent: an item already keyed this way is rewritten as it is (``--table`` skips it). Run it while
the service takes no writes (docs/operations.md, "Upgrading the key design"): a status move between
the scan and the write of one item would be undone.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

_INDEX_KEY = re.compile(r"^(gsi\d+(pk|sk)|withdrawnGsi\d+(pk|sk))\Z")


def _index_keys(built: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in built.items() if _INDEX_KEY.match(name)}


def index_keys(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """The index keys this key design gives ``item`` (by its aggregate's builder); ``None`` for an item
    of a kind that has none."""
    from internship import keys
    from internship.applications.items import Application
    from internship.messages.items import Message, count_index_keys
    from internship.positions.items import REVISION, PositionItem, RevisionItem
    from internship.ratings.items import RATING_PREFIX, FollowUp, Rating
    from internship.reviewers.repository import ReviewerItem

    pk, sk = str(item.get(keys.PK, "")), str(item.get(keys.SK, ""))
    if pk.startswith("POSITION#") and sk == "POSITION":
        return PositionItem.of(item).index_keys()
    if pk.startswith("POSITION#") and sk == REVISION:
        return RevisionItem.of(item).index_keys()
    if pk.startswith("APPLICATION#") and sk == "APPLICATION":
        found = _index_keys(Application.of(item).item())
        if not item.get("regionCode"):  # stored before jurisdictions: in no queue until a backfill names its place
            found = {k: v for k, v in found.items() if not any(k.endswith(p) for p in keys.QUEUE_PARTITIONS)}
        return found
    if pk.startswith("MESSAGE#") and sk == "MESSAGE":
        return _index_keys(Message.of(item).item())
    if pk.startswith("PERSON#") and sk == "MESSAGES":
        return count_index_keys(pk.removeprefix("PERSON#"))
    if pk.startswith("REVIEWER#") and sk == "REVIEWER":
        return _index_keys(ReviewerItem.of(item).item())
    if sk.startswith(RATING_PREFIX):
        return _index_keys(Rating.of(item).item())
    if pk.startswith("FOLLOWUP#") and sk == "FOLLOWUP":
        return FollowUp.of(item).index_keys()
    return None


def rekeyed(item: Mapping[str, Any]) -> dict[str, Any]:
    """``item`` with the index keys of this key design in place of those it was stored with."""
    wanted = index_keys(item)
    if wanted is None:
        return dict(item)
    return {**{k: v for k, v in item.items() if not _INDEX_KEY.match(k)}, **wanted}


def _scan(dynamodb: Any, table: str) -> Iterator[dict[str, Any]]:
    from internship.dynamo import from_item

    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for raw in page.get("Items", []):
            yield from_item(raw) or {}


MARK = "rekeyCopy"  # on what the copy writes until it is done: the publisher's stream filter drops those records


def copy(dynamodb: Any, source: str, target: str) -> int:
    """Every item of ``source`` into ``target``, rekeyed, 25 a BatchWriteItem; how many.

    The copy's writes are no events: the items' events were published from ``source`` already, and
    the counts (``STATS#…``) are copied as they are. So every item is written with the mark ``MARK``,
    which the publisher's stream filter (``template.yaml``) drops on an INSERT, and the mark is then
    removed, an update the filter drops too (its old image has the mark).
    """
    from internship.dynamo import to_item

    written = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        request: dict[str, Any] = {target: batch}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        for put in batch:
            key = {name: put["PutRequest"]["Item"][name] for name in ("pk", "sk")}
            dynamodb.update_item(
                TableName=target, Key=key, UpdateExpression="REMOVE #m", ExpressionAttributeNames={"#m": MARK}
            )

    for item in _scan(dynamodb, source):
        batch.append({"PutRequest": {"Item": to_item({**rekeyed(item), MARK: source})}})
        written += 1
        if len(batch) == 25:
            flush()
            batch = []
    if batch:
        flush()
    return written


def in_place(dynamodb: Any, table: str, *, dry_run: bool = False) -> tuple[int, int]:
    """Rewrite the index keys of the items of ``table`` that need it: ``(items seen, items changed)``."""
    from internship.dynamo import to_item, to_value

    seen = changed = 0
    for item in _scan(dynamodb, table):
        seen += 1
        after = rekeyed(item)
        if after == item:
            continue
        changed += 1
        if dry_run:
            continue
        stale = [k for k in item if _INDEX_KEY.match(k) and k not in after]
        fresh = {k: v for k, v in after.items() if _INDEX_KEY.match(k) and item.get(k) != v}
        names = {f"#k{i}": k for i, k in enumerate([*fresh, *stale])}
        update = ""
        if fresh:
            update += "SET " + ", ".join(f"#k{i} = :v{i}" for i in range(len(fresh)))
        if stale:
            update += " REMOVE " + ", ".join(f"#k{i}" for i in range(len(fresh), len(names)))
        values = {f":v{i}": to_value(v) for i, v in enumerate(fresh.values())}
        dynamodb.update_item(
            TableName=table,
            Key=to_item({"pk": item["pk"], "sk": item["sk"]}),
            UpdateExpression=update.strip(),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            **({"ExpressionAttributeValues": values} if values else {}),
        )
    return seen, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localrun.rekey", description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--copy", nargs=2, metavar=("SOURCE", "TARGET"), help="copy every item, rekeyed")
    what.add_argument("--table", help="rekey the items of TABLE in place")
    parser.add_argument("--dry-run", action="store_true", help="with --table: count, write nothing")
    parser.add_argument("--endpoint", help="a DynamoDB endpoint other than AWS's (moto, DynamoDB Local)")
    args = parser.parse_args(argv)
    from pathlib import Path

    layer = str(Path(__file__).resolve().parent.parent / "layers" / "shared")
    if layer not in sys.path:
        sys.path.insert(0, layer)
    import boto3

    dynamodb = boto3.client("dynamodb", endpoint_url=args.endpoint)
    if args.copy:
        print(f"{copy(dynamodb, *args.copy)} items copied from {args.copy[0]} to {args.copy[1]}")
    else:
        seen, changed = in_place(dynamodb, args.table, dry_run=args.dry_run)
        print(f"{changed} of {seen} items {'need' if args.dry_run else 'got'} new index keys in {args.table}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
