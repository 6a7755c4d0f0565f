"""Makes moto's DynamoDB atomic per request, as DynamoDB is.

moto handles each request on its own thread without a lock, and a cancelled TransactWriteItems
restores a snapshot of the table taken before it started, which can erase a write another thread
made meanwhile. DynamoDB itself applies each request atomically, and the business rules (one active
application per person, PENDING-only moves, headcount) rely on that. So wherever moto serves
concurrent clients (the local run, race tests), its DynamoDB requests are serialised. This is a
property of the stand-in, not of our code: no lock like it exists in the functions.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

_lock = threading.RLock()


def serialise_dynamodb() -> None:
    """Wrap moto's DynamoDB request handling in one process-wide lock (idempotent)."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action
    if getattr(original, "serialised", False):
        return

    @functools.wraps(original)
    def call_action(self: Any) -> Any:
        with _lock:
            return original(self)

    call_action.serialised = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
