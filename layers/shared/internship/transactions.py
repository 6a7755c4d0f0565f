"""The one way to write a DynamoDB transaction: items carry names, cancellations are read by name.

``TransactWriteItems`` answers a cancellation with one reason per item, in the order the items were
sent. Reading them by position (``codes[2]``) breaks silently when the transaction is reordered or
grows; here each item is added under a name and a cancellation is decoded by that name::

    tx = Transaction()
    tx.add("application", {"Put": ...})
    tx.add("guard", {"Put": ...})
    try:
        tx.commit()
    except Cancelled as cancelled:
        if cancelled.throttled:            # any item throttled: 429, the same for every use case
            ...
        if cancelled.failed("guard"):      # ConditionalCheckFailed, TransactionConflict, ...
            ...

A throttled item makes the whole cancellation ``throttled`` (``internship.aws_errors`` decides which
codes mean that), so every use case answers 429 ``THROTTLED`` for it the same way.

Retries are idempotent: botocore fills ``ClientRequestToken`` in once per call (the API marks it an
idempotency token), so when a transaction commits but its answer is lost (a read timeout, a 5xx),
botocore's retry carries the same token and DynamoDB answers it as a success without applying it
again (for 10 minutes; the local run's ``localrun.motoserver`` does the same). No commit here sets a
token of its own: one would have to stay the same across botocore's retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from internship import aws, aws_errors, dynamo

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

CONDITION_FAILED = "ConditionalCheckFailed"
_NO_FAILURE = frozenset({"None", ""})


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one item of a cancelled transaction failed; ``item`` is the stored item when the element
    asked for it (``ReturnValuesOnConditionCheckFailure=ALL_OLD``) and it exists."""

    code: str
    item: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.code not in _NO_FAILURE


class Cancelled(Exception):
    """A ``TransactionCanceledException``, its reasons keyed by the names the items were added under."""

    def __init__(self, reasons: dict[str, Reason]) -> None:
        super().__init__("transaction cancelled: " + ", ".join(f"{n}={r.code}" for n, r in reasons.items() if r.failed))
        self.reasons = reasons

    def reason(self, name: str) -> Reason:
        return self.reasons.get(name, Reason("None"))

    def failed(self, name: str) -> bool:
        """True when the item of this name failed (any reason)."""
        return self.reason(name).failed

    def condition_failed(self, name: str) -> bool:
        return self.reason(name).code == CONDITION_FAILED

    def failed_names(self) -> set[str]:
        return {name for name, reason in self.reasons.items() if reason.failed}

    @property
    def throttled(self) -> bool:
        """Some item was throttled: the caller answers 429 (retrying is the client's call)."""
        return any(aws_errors.of_code(r.code) is aws_errors.Failure.THROTTLED for r in self.reasons.values())

    @property
    def conflicted(self) -> bool:
        """Another transaction was writing one of these items at the same moment (retry may succeed)."""
        return any(aws_errors.of_code(r.code) is aws_errors.Failure.CONFLICT for r in self.reasons.values())


class Transaction:
    """Named ``TransactWriteItems`` elements, committed in one call."""

    def __init__(self) -> None:
        self._items: dict[str, TransactWriteItemTypeDef] = {}

    def add(self, name: str, element: TransactWriteItemTypeDef | dict[str, Any]) -> Transaction:
        if name in self._items:
            raise ValueError(f"transaction item {name!r} added twice")
        self._items[name] = element  # type: ignore[assignment]  # the TypedDicts are plain dicts
        return self

    @property
    def names(self) -> list[str]:
        return list(self._items)

    @property
    def elements(self) -> list[TransactWriteItemTypeDef]:
        return list(self._items.values())

    def commit(self) -> None:
        """Write every item or none; a cancellation raises ``Cancelled`` (other AWS errors propagate)."""
        from botocore.exceptions import ClientError

        try:
            aws.dynamodb().transact_write_items(TransactItems=self.elements)
        except ClientError as error:
            if aws_errors.error_code(error) != "TransactionCanceledException":
                raise
            raise Cancelled(self.decode(error.response.get("CancellationReasons", []))) from error

    def decode(self, raw_reasons: list[Any]) -> dict[str, Reason]:
        """Pair each reason with the name of the item at its position (DynamoDB keeps the order)."""
        reasons: dict[str, Reason] = {}
        for name, raw in zip(self._items, raw_reasons, strict=False):
            raw = raw or {}
            reasons[name] = Reason(str(raw.get("Code") or "None"), dynamo.from_item(raw.get("Item")))
        return reasons
