"""The decision (审核) as ONE transaction: the applications aggregate's status move
(``applications.repository.status_move``), whose conditions carry the rules, plus:

* an approval takes a place of the position: ``ADD filled 1`` only while the position is OPEN and
  ``filled < headcount`` (the element is ``positions.repository.approval_increment``);
* the audit record of the decision, committed with it or not at all.

The application is still ``PENDING`` (a withdrawal racing a decision: exactly one commits); a
rejection frees the person's one-active-application guard, but only if it is this application's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from internship import errors
from internship.applications import repository as applications
from internship.applications.items import ApplicationStatus
from internship.positions import repository as positions
from internship.positions.models import PositionStatus
from internship.transactions import CONDITION_FAILED, Cancelled

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


def record_decision(move: applications.Move, position_id: str, audit: TransactWriteItemTypeDef | None) -> None:
    """Apply a decision in one transaction; cancellations (decoded by item name) become the
    contract's 404/409, a throttled item 429 like every other transaction."""
    tx = applications.status_move(move)
    if move.status is ApplicationStatus.APPROVED:
        tx.add("position", positions.approval_increment(position_id))
    if audit is not None:
        tx.add("audit", audit)  # committed with the decision, or neither is
    try:
        tx.commit()
    except Cancelled as cancelled:
        if cancelled.throttled:
            raise errors.Throttled() from cancelled
        application = cancelled.reason("application")
        if application.code == CONDITION_FAILED:
            if not application.item:
                raise errors.NotFound("未找到该申请") from cancelled
            raise errors.NotPending() from cancelled
        if cancelled.condition_failed("position"):
            position = cancelled.reason("position").item
            if not position or position.get("status") != PositionStatus.OPEN:
                raise errors.PositionClosed() from cancelled
            raise errors.PositionFull() from cancelled
        # Another write touched these items at the same moment: the caller may simply retry.
        raise errors.Conflict() from cancelled
