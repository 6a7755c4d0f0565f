"""Makes moto's DynamoDB behave as DynamoDB does where the local run and the race tests rely on it.

Three differences of the stand-in, none of them of our code (no lock like these exists in the
functions):

- moto handles each request on its own thread without a lock, and a cancelled TransactWriteItems
  restores a snapshot of the table taken before it started, which can erase a write another thread
  made meanwhile. DynamoDB applies each request atomically, and the business rules (one active
  application per person, PENDING-only moves, headcount) rely on that: requests are serialised.
- moto snapshots the whole table once per item of a transaction, stream records included, so a
  transaction gets slower with every write the table ever had (seconds under load, past botocore's
  read timeout). Here only the items the transaction names are saved, and a cancelled transaction
  puts them back and trims the stream, so it still leaves no trace (as in DynamoDB).
- moto ignores ``ClientRequestToken``: when botocore retries a transaction that committed after
  the client timed out, moto applies it again and the caller sees a conflict for its own write.
  DynamoDB answers a repeat within ten minutes as a success without applying it; so does this.
"""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections import OrderedDict
from typing import Any

_lock = threading.RLock()
_committed: OrderedDict[str, str] = OrderedDict()  # ClientRequestToken → the request it committed
_REMEMBERED_TOKENS = 10_000


class _NoTableSnapshot:
    """Stands in for the ``copy`` module inside moto's transaction: tables are not snapshotted
    (``_ItemRollback`` restores what the transaction touched); items are copied as usual."""

    @staticmethod
    def deepcopy(obj: Any) -> Any:
        return obj if hasattr(obj, "stream_shard") else copy.deepcopy(obj)


class _ItemRollback:
    """The items a transaction names, as they were before it, and the streams' lengths."""

    def __init__(self, backend: Any, transact_items: list[dict[str, Any]]) -> None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        self.saved: list[tuple[Any, Any, Any, Any]] = []
        for operation in transact_items:
            ((_, spec),) = operation.items()
            table = backend.tables[spec["TableName"]]
            key = spec.get("Key") or spec["Item"]
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            previous = table.get_item(hash_value, range_value)
            self.saved.append((table, hash_value, range_value, copy.deepcopy(previous)))
        self.shards = [(t.stream_shard, len(t.stream_shard.items)) for t in backend.tables.values() if t.stream_shard]

    def restore(self) -> None:
        for table, hash_value, range_value, previous in reversed(self.saved):
            if range_value is None:
                table.items.pop(hash_value, None)
                if previous is not None:
                    table.items[hash_value] = previous
            else:
                table.items[hash_value].pop(range_value, None)
                if previous is not None:
                    table.items[hash_value][range_value] = previous
        for shard, length in self.shards:
            del shard.items[length:]


def serialise_dynamodb() -> None:
    """Apply the three corrections to moto's DynamoDB (idempotent; process-wide)."""
    from moto.dynamodb import models, responses
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    call_action = DynamoHandler.call_action
    if getattr(call_action, "serialised", False):
        return

    @functools.wraps(call_action)
    def atomic_call_action(self: Any) -> Any:
        with _lock:
            return call_action(self)

    transact = DynamoDBBackend.transact_write_items

    @functools.wraps(transact)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        try:
            rollback = _ItemRollback(self, transact_items)
        except Exception:  # noqa: BLE001 - a malformed request: let moto answer it its own way
            return transact(self, transact_items)
        models.copy = _NoTableSnapshot  # type: ignore[assignment]
        try:
            transact(self, transact_items)
        except Exception:
            rollback.restore()
            raise
        finally:
            models.copy = copy

    respond = DynamoHandler.transact_write_items

    @functools.wraps(respond)
    def idempotent_transact_write_items(self: Any) -> Any:
        token = self.body.get("ClientRequestToken")
        request = json.dumps(self.body.get("TransactItems"), sort_keys=True)
        if token and _committed.get(token) == request:
            return responses.ActionResult({"ConsumedCapacity": [], "ItemCollectionMetrics": {}})
        result = respond(self)
        if token:
            _committed[token] = request
            while len(_committed) > _REMEMBERED_TOKENS:
                _committed.popitem(last=False)
        return result

    atomic_call_action.serialised = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = atomic_call_action  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = idempotent_transact_write_items  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
