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

from botocore.exceptions import ClientError

from internship import aws, dynamo, errors, keys
from internship.positions import repository as positions
from internship.settings import get_settings

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


def _table() -> str:
    return get_settings().table_name


# --- reads ---------------------------------------------------------------------------------------


def get_application(application_id: str) -> dict[str, Any] | None:
    response = aws.dynamodb().get_item(
        TableName=_table(), Key=dynamo.to_item(keys.application(application_id)), ConsistentRead=True
    )
    return dynamo.from_item(response.get("Item"))


# --- the decision ----------------------------------------------------------------------------------


def _decision_items(write: DecisionWrite) -> list[TransactWriteItemTypeDef]:
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
    history = {
        **{keys.PK: keys.application_partition(write.application_id), keys.SK: keys.history_sk(write.at, 1)},
        "at": write.at,
        "action": write.decision,
        "actor": write.principal,
        "jurisdiction": write.jurisdiction,
        "reason": write.reason,
        "status": write.decision,
    }
    items: list[TransactWriteItemTypeDef] = [
        {
            "Update": {
                "TableName": _table(),
                "Key": dynamo.to_item(keys.application(write.application_id)),
                "UpdateExpression": update,
                "ConditionExpression": "#status = :pending",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {name: dynamo.to_value(value) for name, value in values.items()},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        },
        {"Put": {"TableName": _table(), "Item": dynamo.to_item(history)}},
    ]
    if write.decision == "APPROVED":
        items.append(positions.approval_increment(write.position_id))  # type: ignore[arg-type]
    else:
        # The guard goes only if it is this application's (a missing guard is no reason to block).
        items.append(
            {
                "Delete": {
                    "TableName": _table(),
                    "Key": dynamo.to_item(keys.active_guard(write.person_id)),
                    "ConditionExpression": "attribute_not_exists(pk) OR applicationId = :id",
                    "ExpressionAttributeValues": {":id": {"S": write.application_id}},
                }
            }
        )
    return items


def record_decision(write: DecisionWrite) -> None:
    """Apply a decision in one transaction; cancellations become the contract's 404/409."""
    try:
        aws.dynamodb().transact_write_items(TransactItems=_decision_items(write))
    except ClientError as error:
        if dynamo.error_code(error) != "TransactionCanceledException":
            raise
        reasons = error.response.get("CancellationReasons", [])
        codes = dynamo.cancellation_codes(error)
        if codes and codes[0] == "ConditionalCheckFailed":
            if not reasons[0].get("Item"):
                raise errors.NotFound("未找到该申请") from error
            raise errors.NotPending() from error
        if write.decision == "APPROVED" and len(codes) > 2 and codes[2] == "ConditionalCheckFailed":
            position = dynamo.from_item(reasons[2].get("Item")) if len(reasons) > 2 else None
            if not position or position.get("status") != "OPEN":
                raise errors.PositionClosed() from error
            raise errors.PositionFull() from error
        if any(code in dynamo.THROTTLING_CODES or code == "TransactionConflict" for code in codes):
            # Another write touched these items at the same moment: the caller may simply retry.
            raise errors.Conflict() from error
        raise
