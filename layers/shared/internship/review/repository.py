"""DynamoDB access of the review (审核): the record, decisions (the queue: ``review.queue``).

Item shapes are the application's (see ``internship.keys`` and the shared item shapes); this module
reads them and writes a decision as ONE transaction whose conditions carry the rules:

* the application is still ``PENDING`` (a withdrawal racing a decision: exactly one commits);
* an approval takes a place of the position: ``ADD filled 1`` only while the position is OPEN and
  ``filled < headcount`` (the element is ``positions.repository.approval_increment``);
* a rejection frees the person's one-active-application guard, but only if it is this application's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from internship import aws, dynamo, errors, keys
from internship.positions import repository as positions
from internship.settings import get_settings
from internship.transactions import CONDITION_FAILED, Cancelled, Transaction

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


@dataclass(frozen=True, slots=True)
class DecisionWrite:
    """What a decision changes; ``at`` is also the history entry's time."""

    application_id: str
    person_id: str
    position_id: str
    decision: str  # APPROVED | REJECTED
    reason: str | None
    principal: str
    jurisdiction: str  # the decider's (属地), recorded with the decision
    region_code: str  # the application's, for its queue keys in the new status
    listing: str  # the application's queue sort key (``<submittedAt>#<id>``)
    at: str
    # Retention TTL of the application (``internship.retention``) and the audit record's ``Put``:
    # both commit with the decision, or nothing does.
    expires_at: int | None = None
    audit: TransactWriteItemTypeDef | None = None


def _table() -> str:
    return get_settings().table_name


# --- reads ---------------------------------------------------------------------------------------


def get_application(application_id: str) -> dict[str, Any] | None:
    response = aws.dynamodb().get_item(
        TableName=_table(), Key=dynamo.to_item(keys.application(application_id)), ConsistentRead=True
    )
    return dynamo.from_item(response.get("Item"))


# --- the decision ----------------------------------------------------------------------------------


def _decision_transaction(write: DecisionWrite) -> Transaction:
    queue = keys.queue_keys(write.region_code, write.decision, write.listing)
    values: dict[str, Any] = {
        ":pending": "PENDING",
        ":status": write.decision,
        ":gsi2pk": keys.my_applications_by_status(write.person_id, write.decision),
        ":gsi3pk": queue["gsi3pk"],
        ":gsi4pk": queue["gsi4pk"],
        ":at": write.at,
        ":by": write.principal,
        ":jurisdiction": write.jurisdiction,
    }
    update = (
        "SET #status = :status, gsi2pk = :gsi2pk, gsi3pk = :gsi3pk, gsi4pk = :gsi4pk, decidedAt = :at, "
        "decidedBy = :by, decidedJurisdiction = :jurisdiction, updatedAt = :at"
    )
    if write.reason:
        update += ", reason = :reason"
        values[":reason"] = write.reason
    names = {"#status": "status"}
    if write.expires_at is not None:
        update += ", #ttl = :ttl"
        names["#ttl"] = keys.TTL
        values[":ttl"] = write.expires_at
    history = {
        **{keys.PK: keys.application_partition(write.application_id), keys.SK: keys.history_sk(write.at, 1)},
        "at": write.at,
        "action": write.decision,
        "actor": write.principal,
        "jurisdiction": write.jurisdiction,
        "reason": write.reason,
        "status": write.decision,
        keys.TTL: write.expires_at,
    }
    tx = Transaction()
    tx.add(
        "application",
        {
            "Update": {
                "TableName": _table(),
                "Key": dynamo.to_item(keys.application(write.application_id)),
                "UpdateExpression": update,
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": {name: dynamo.to_value(value) for name, value in values.items()},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
    )
    tx.add("history", {"Put": {"TableName": _table(), "Item": dynamo.to_item(history)}})
    if write.decision == "APPROVED":
        tx.add("position", positions.approval_increment(write.position_id))
    else:
        # The guard goes only if it is this application's (a missing guard is no reason to block).
        tx.add(
            "guard",
            {
                "Delete": {
                    "TableName": _table(),
                    "Key": dynamo.to_item(keys.active_guard(write.person_id)),
                    "ConditionExpression": "attribute_not_exists(pk) OR applicationId = :id",
                    "ExpressionAttributeValues": {":id": {"S": write.application_id}},
                }
            },
        )
    if write.audit is not None:
        tx.add("audit", write.audit)  # committed with the decision, or neither is
    return tx


def record_decision(write: DecisionWrite) -> None:
    """Apply a decision in one transaction; cancellations (decoded by item name) become the
    contract's 404/409, a throttled item 429 like every other transaction."""
    try:
        _decision_transaction(write).commit()
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
            if not position or position.get("status") != "OPEN":
                raise errors.PositionClosed() from cancelled
            raise errors.PositionFull() from cancelled
        # Another write touched these items at the same moment: the caller may simply retry.
        raise errors.Conflict() from cancelled
