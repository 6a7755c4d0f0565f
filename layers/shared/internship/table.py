"""The one way a repository talks to a DynamoDB table: get, put, update, delete, a page of a Query
with its cursor, BatchGetItem with backoff, and the elements of a named transaction.

Every repository holds a ``Table`` (``Table.main()`` for the application table, ``Table.audit()``
for the audit trail, ``Table(name)`` for any other; the names come from ``internship.settings``, a
dataclass light enough for the authorizer and the stream publisher). Items and expression values are
plain Python (``internship.dynamo`` converts); a failed condition raises ``ConditionFailed``
(carrying the stored item when it exists), except a put's that finds its own item (its retry met its
first attempt: ``Table.put``); every other AWS error propagates to the one classifier
(``internship.aws_errors``) at the API boundary. Transactions: ``internship.transactions``, whose
elements ``put_element`` … ``check_element`` build.

Written by hand: boto3's ``resource`` layer does the conversions but starts slower (SPEC §7 cold
start), and no library pages with an opaque, checked cursor (``internship.cursors``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from internship import aws, aws_errors, cursors, errors, keys
from internship.dynamo import from_item, to_item, to_value

MAX_BATCH = 100  # BatchGetItem's limit of keys per request
BATCH_ATTEMPTS = 4  # unprocessed keys come back only under throttling: a few tries, then 429
BATCH_BACKOFF_SECONDS = 0.05
CONDITION_FAILED = "ConditionalCheckFailedException"
PREFIX_END = "~"  # sorts after every character of an ISO timestamp and id: a sort-key prefix's upper bound
_AFTER = " "  # sorts before them: the lowest sort key after a given one


class Names(TypedDict, total=False):
    """The placeholders of a request's expressions: ``#name`` → attribute, ``:value`` → plain value."""

    names: Mapping[str, str] | None
    values: Mapping[str, Any] | None


class When(Names, total=False):
    """A write's optional condition, with its placeholders: the keywords every write takes."""

    condition: str | None


class ConditionFailed(Exception):
    """The write's condition did not hold; ``item`` is the stored item, when there is one."""

    def __init__(self, item: dict[str, Any] | None = None) -> None:
        super().__init__("condition failed")
        self.item = item


@dataclass(frozen=True, slots=True)
class KeyRange:
    """A stretch of one index partition: the sort keys from ``low`` to ``high``, both included
    (``None``: unbounded on that side). ``"<month>"`` to ``"<month>~"`` is a month of ``<at>#<id>``
    keys (``~`` sorts after every character of a timestamp and an id)."""

    partition: str
    low: str | None = None
    high: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: the items and the cursor of the next page (``None`` on the last)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def _expression(
    names: Mapping[str, str] | None, values: Mapping[str, Any] | None, **parts: str | None
) -> dict[str, Any]:
    """The expression parameters of a request, with plain ``values`` converted."""
    params: dict[str, Any] = {name: part for name, part in parts.items() if part}
    if names:
        params["ExpressionAttributeNames"] = dict(names)
    if values:
        params["ExpressionAttributeValues"] = {name: to_value(value) for name, value in values.items()}
    return params


def _condition_failed(error: Exception) -> ConditionFailed | None:
    if aws_errors.error_code(error) != CONDITION_FAILED:
        return None
    return ConditionFailed(from_item(getattr(error, "response", {}).get("Item")))


@dataclass(frozen=True, slots=True)
class Table:
    name: str

    @classmethod
    def main(cls) -> Table:
        """The application table (``TABLE_NAME``)."""
        from internship.settings import get_settings

        return cls(get_settings().table_name)

    @classmethod
    def audit(cls) -> Table:
        """The append-only audit trail (``AUDIT_TABLE_NAME``)."""
        from internship.settings import get_settings

        return cls(get_settings().audit_table_name)

    # --- single items ---------------------------------------------------------------------------

    def get(self, key: Mapping[str, str], *, consistent: bool = False) -> dict[str, Any] | None:
        answer = aws.dynamodb().get_item(TableName=self.name, Key=to_item(key), ConsistentRead=consistent)
        return from_item(answer.get("Item"))

    def put(self, item: Mapping[str, Any], **when: Unpack[When]) -> None:
        """Store ``item``; ``ConditionFailed`` when ``condition`` does not hold for what is stored.

        A put whose condition fails on this very item, attribute for attribute, is done: it is
        botocore's retry of a put that DynamoDB applied but whose answer was lost (a read timeout,
        a 5xx), meeting its own first write. Without this, every conditional create of a fresh key
        (a login state, a session, an attachment) would read its own write as a collision. So an
        item meant to be claimed by one writer only carries something of that writer's (an id)."""
        params = self._write("Item", item, **when)
        try:
            self._single("put_item", params)
        except ConditionFailed as failed:
            if failed.item != from_item(params["Item"]):
                raise

    def update(self, key: Mapping[str, str], update: str, **when: Unpack[When]) -> dict[str, Any]:
        """Apply ``update`` and answer the item as it is now; ``ConditionFailed`` as for ``put``."""
        answer = self._single("update_item", self._write("Key", key, update, **when), ReturnValues="ALL_NEW")
        return from_item(answer.get("Attributes")) or {}

    def delete(self, key: Mapping[str, str], **when: Unpack[When]) -> dict[str, Any] | None:
        """Delete the item and answer what was stored (``None``: there was nothing)."""
        answer = self._single("delete_item", self._write("Key", key, **when), ReturnValues="ALL_OLD")
        return from_item(answer.get("Attributes"))

    def _write(
        self, target: str, item: Mapping[str, Any], update: str | None = None, **when: Unpack[When]
    ) -> dict[str, Any]:
        """What every write names, alone or in a transaction: the table, its ``Item`` or ``Key``
        (``target``), the expressions, and the plain ``names`` and ``values`` they use."""
        return {
            "TableName": self.name,
            target: to_item(item),
            **_expression(
                when.get("names"),
                when.get("values"),
                UpdateExpression=update,
                ConditionExpression=when.get("condition"),
            ),
        }

    @staticmethod
    def _single(operation: str, params: dict[str, Any], **returns: str) -> Any:
        """One write on its own; a failed condition is ``ConditionFailed`` with the stored item."""
        from botocore.exceptions import ClientError

        try:
            return getattr(aws.dynamodb(), operation)(
                **params, **returns, ReturnValuesOnConditionCheckFailure="ALL_OLD"
            )
        except ClientError as error:
            raise _condition_failed(error) or error from None

    # --- queries --------------------------------------------------------------------------------

    def query(
        self,
        key_condition: str,
        values: Mapping[str, Any],
        *,
        names: Mapping[str, str] | None = None,
        index: str | None = None,  # "gsi1" … (the template's GSI1 …); None: the base table
        filter: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
        consistent: bool = False,
        start: Mapping[str, str] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
        """One Query: ``(items, last key)``; ``start`` is a plain key (a decoded cursor)."""
        params: dict[str, Any] = {
            "TableName": self.name,
            "ScanIndexForward": not newest_first,
            "ConsistentRead": consistent,
            **_expression(names, values, KeyConditionExpression=key_condition, FilterExpression=filter),
        }
        if index:
            params["IndexName"] = index.upper()
        if limit:
            params["Limit"] = limit
        if start:
            params["ExclusiveStartKey"] = to_item(start)
        answer = aws.dynamodb().query(**params)
        items = [item for item in (from_item(raw) for raw in answer.get("Items", [])) if item]
        last = from_item(answer.get("LastEvaluatedKey"))
        return items, ({name: str(value) for name, value in last.items()} if last else None)

    def page(
        self,
        scope: cursors.Scope,
        *,
        limit: int,
        cursor: str | None,
        newest_first: bool = False,
        consistent: bool = False,
        filter: str | None = None,
        **placeholders: Unpack[Names],
    ) -> Page:
        """One page of ``scope`` (an index partition, optionally one month of it), from ``cursor``:
        one Query that reads exactly the items it answers, unless a ``filter`` (with its
        ``placeholders``) leaves some out: then a page may hold fewer than ``limit``, even none,
        and still have a next one (the cursor is where the read stopped)."""
        partition_name, sort_name = scope.key_names
        condition = f"{partition_name} = :partition"
        values: dict[str, Any] = {**(placeholders.get("values") or {}), ":partition": scope.partition}
        if scope.sort_prefix:
            condition += f" AND begins_with({sort_name}, :prefix)"
            values[":prefix"] = scope.sort_prefix
        items, last = self.query(
            condition,
            values,
            names=placeholders.get("names"),
            filter=filter,
            index=scope.index,
            limit=limit,
            newest_first=newest_first,
            consistent=consistent,
            start=scope.decode(cursor) if cursor else None,
        )
        return Page(items, scope.encode(last))

    def oldest_first(self, scope: cursors.Scope, *, limit: int, cursor: str | None) -> Page:
        """A page of a queue (审核队列), oldest first, over one index partition or several merged (a
        province's cities): ``merged_page`` over each whole partition, or over the stretch of its
        ``sort_prefix`` (a month)."""
        prefix = scope.sort_prefix
        partitions = (scope.partition,) if isinstance(scope.partition, str) else scope.partition
        ranges = [KeyRange(p, prefix, prefix + PREFIX_END) if prefix else KeyRange(p) for p in partitions]
        return self.merged_page(scope, ranges, limit=limit, cursor=cursor)

    def merged_page(self, scope: cursors.Scope, ranges: Iterable[KeyRange], *, limit: int, cursor: str | None) -> Page:
        """A page over stretches of several partitions of ``scope.index`` (a province's cities, a
        status's two halves), oldest first by the index's sort key: one Query per stretch, each
        reading at most ``limit``, merged, so it reads only what it returns. The cursor is the last
        line's key; the next page asks each stretch for what sorts after it, so merged and single
        pages page alike."""
        partition_name, sort_name = scope.key_names
        after = scope.decode(cursor)[sort_name] + _AFTER if cursor else None
        found: list[dict[str, Any]] = []
        more = False
        for stretch in ranges:
            low = max(stretch.low or "", after) if after else stretch.low
            condition, values = f"{partition_name} = :partition", {":partition": stretch.partition}
            if low and stretch.high is not None:
                if low > stretch.high:
                    continue
                condition += f" AND {sort_name} BETWEEN :low AND :high"
                values.update({":low": low, ":high": stretch.high})
            elif low:
                condition += f" AND {sort_name} >= :low"
                values[":low"] = low
            elif stretch.high is not None:
                condition += f" AND {sort_name} <= :high"
                values[":high"] = stretch.high
            items, last = self.query(condition, values, index=scope.index, limit=limit)
            found += items
            more = more or last is not None
        found.sort(key=lambda item: str(item[sort_name]))
        page = found[:limit]
        more = more or len(found) > limit
        return Page(page, scope.encode(page[-1]) if more and page else None)

    def count(self, key_condition: str, values: Mapping[str, Any], *, index: str | None = None) -> int:
        """How many items a Query would answer (``Select=COUNT``: nothing is returned), read to the end."""
        params: dict[str, Any] = {
            "TableName": self.name,
            "Select": "COUNT",
            **_expression(None, values, KeyConditionExpression=key_condition),
        }
        if index:
            params["IndexName"] = index.upper()
        total = 0
        while True:
            answer = aws.dynamodb().query(**params)
            total += int(answer.get("Count", 0))
            if not answer.get("LastEvaluatedKey"):
                return total
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # --- several items --------------------------------------------------------------------------

    def batch_get(self, wanted: Iterable[Mapping[str, str]], *, consistent: bool = True) -> list[dict[str, Any]]:
        """The items of ``wanted`` keys that exist (duplicates asked once), 100 keys a request.

        Unprocessed keys (DynamoDB returns them only under throttling) are asked again after an
        exponential backoff with jitter, as DynamoDB advises; still unprocessed after
        ``BATCH_ATTEMPTS``: 429 ``THROTTLED``. One round trip for up to 100 keys otherwise."""
        unique = {(key[keys.PK], key[keys.SK]): key for key in wanted}
        pending = [to_item(key) for key in unique.values()]
        found: list[dict[str, Any]] = []
        attempt = 0
        while pending:
            chunk, pending = pending[:MAX_BATCH], pending[MAX_BATCH:]
            answer = aws.dynamodb().batch_get_item(
                RequestItems={self.name: {"Keys": chunk, "ConsistentRead": consistent}}
            )
            found += [
                item for item in (from_item(raw) for raw in answer.get("Responses", {}).get(self.name, [])) if item
            ]
            left: Mapping[str, Any] = answer.get("UnprocessedKeys") or {}
            unprocessed = list((left.get(self.name) or {}).get("Keys") or [])
            if unprocessed:
                attempt += 1
                if attempt >= BATCH_ATTEMPTS:
                    raise errors.Throttled()
                time.sleep(BATCH_BACKOFF_SECONDS * 2**attempt * (0.5 + random.random()))  # noqa: S311 - jitter
                pending = unprocessed + pending
        return found

    # --- transaction elements (``internship.transactions.Transaction.add``) ---------------------

    def put_element(self, item: Mapping[str, Any], **when: Unpack[When]) -> dict[str, Any]:
        return {"Put": self._write("Item", item, **when)}

    def put_new_element(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """A put that fails if an item with these keys exists."""
        return self.put_element(item, condition="attribute_not_exists(#pk)", names={"#pk": keys.PK})

    def update_element(
        self, key: Mapping[str, str], update: str, *, old_on_failure: bool = False, **when: Unpack[When]
    ) -> dict[str, Any]:
        """``old_on_failure``: a cancellation carries the stored item (``Reason.item``)."""
        element = self._write("Key", key, update, **when)
        if old_on_failure:
            element["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"Update": element}

    def delete_element(self, key: Mapping[str, str], **when: Unpack[When]) -> dict[str, Any]:
        return {"Delete": self._write("Key", key, **when)}

    def check_element(self, key: Mapping[str, str], condition: str, **when: Unpack[Names]) -> dict[str, Any]:
        return {"ConditionCheck": self._write("Key", key, condition=condition, **when)}
