"""A decision (审核) as ONE transaction: the case's status move (``cases.repository.status_move``), whose
conditions carry the rules, the audit record of the decision (committed with it or not at all), and
what the kind of case adds to an approval:

* an application takes a place of the position: ``ADD filled 1`` only while the position is OPEN and
  ``filled < headcount`` (the element is ``positions.repository.approval_increment``);
* a registration issues the 就业创业证 (``registrations.certificates``).

The case is still ``PENDING`` (a withdrawal racing a decision: exactly one commits); a rejection
frees the person's one-active guard, but only if it is this case's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from internship import errors
from internship.applications.items import ApplicationStatus
from internship.cases import repository as cases
from internship.positions import repository as positions
from internship.positions.models import PositionStatus
from internship.transactions import Cancelled

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def record_decision(
    move: cases.Move,
    audit: TransactWriteItemTypeDef | None,
    extra: Mapping[str, Any] | None = None,
    explain: Callable[[Cancelled], None] | None = None,
) -> None:
    """Apply a decision in one transaction with ``extra`` elements (by name); cancellations (decoded by
    item name) become the contract's 404/409 (``explain`` decodes the extra elements'), a throttled
    item 429 like every other transaction, anything else 409 ``CONFLICT`` (the caller may retry)."""
    tx = cases.status_move(move)
    for name, element in (extra or {}).items():
        tx.add(name, element)
    if audit is not None:
        tx.add("audit", audit)  # committed with the decision, or neither is
    try:
        tx.commit()
    except Cancelled as cancelled:
        cases.explain_decision(move.kind, cancelled)
        if explain is not None:
            explain(cancelled)
        # Another write touched these items at the same moment: the caller may simply retry.
        raise errors.Conflict() from cancelled


def decide_application(move: cases.Move, position_id: str, audit: TransactWriteItemTypeDef | None) -> None:
    """An application's decision; an approval takes a place of its position (409 ``POSITION_FULL``,
    ``POSITION_CLOSED``)."""

    def explain(cancelled: Cancelled) -> None:
        if cancelled.condition_failed("position"):
            position = cancelled.reason("position").item
            if not position or position.get("status") != PositionStatus.OPEN:
                raise errors.PositionClosed() from cancelled
            raise errors.PositionFull() from cancelled

    approval = move.status is ApplicationStatus.APPROVED
    extra = {"position": positions.approval_increment(position_id)} if approval else {}
    record_decision(move, audit, extra, explain)
