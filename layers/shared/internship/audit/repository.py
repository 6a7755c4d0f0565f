"""DynamoDB access of the audit trail: append-only writes, and the two queries that answer it.

Key design of the audit table (``AUDIT_TABLE_NAME``; the same overloaded names as the application
table, see ``internship.keys``):

* ``pk`` / ``sk`` = ``AUDIT#<requestId>`` / ``AUDIT``: one record per API request, so a retried
  invocation of the same request writes nothing new;
* ``GSI1``: ``gsi1pk`` / ``gsi1sk`` = ``APPLICATION#<applicationId>`` / ``<at>#<requestId>``:
  ``?applicationId=`` is one Query, oldest first;
* ``GSI2``: ``gsi2pk`` / ``gsi2sk`` = ``PRINCIPAL#<principalArn>#<YYYY-MM>`` / ``<at>#<requestId>``:
  ``?principalArn=&month=`` is one Query, oldest first.

``at`` is ISO 8601 in Asia/Shanghai to the millisecond and the month is its month there (SPEC §2).
Writes are ``PutItem`` with ``attribute_not_exists(pk)``; the functions' roles hold no
``UpdateItem``/``DeleteItem`` on this table (template tests check it), and the table has deletion
protection and point-in-time recovery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from internship import aws, clock, cursors, dynamo, keys
from internship.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

READ = "READ_APPLICATION"
DECISION = "DECIDE_APPLICATION"
ITEM_TYPE = "AUDIT"
_NOT_YET = "attribute_not_exists(pk)"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is acting, as API Gateway reported it for this request."""

    principal_arn: str
    request_id: str
    source_ip: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def _table() -> str:
    return get_settings().audit_table_name


def by_application(application_id: str) -> str:
    return f"APPLICATION#{application_id}"


def by_principal(principal_arn: str, month: str) -> str:
    return f"PRINCIPAL#{principal_arn}#{month}"


def _item(
    action: str,
    application_id: str,
    caller: Caller,
    *,
    jurisdiction: str | None,
    region_code: str | None,
    decision: str | None,
    at: str | None,
) -> dict[str, Any]:
    moment = at or clock.iso(clock.now())
    month = moment[:7]  # ``at`` is already in Asia/Shanghai
    order = f"{moment}#{caller.request_id}"
    return {
        keys.PK: f"{ITEM_TYPE}#{caller.request_id}",
        keys.SK: ITEM_TYPE,
        "gsi1pk": by_application(application_id),
        "gsi1sk": order,
        "gsi2pk": by_principal(caller.principal_arn, month),
        "gsi2sk": order,
        "action": action,
        "applicationId": application_id,
        "principalArn": caller.principal_arn,
        "requestId": caller.request_id,
        "sourceIp": caller.source_ip,
        "jurisdiction": jurisdiction,
        "regionCode": region_code,
        "decision": decision,
        "at": moment,
        "month": month,
    }


def entry(
    action: str,
    application_id: str,
    caller: Caller,
    *,
    jurisdiction: str | None = None,
    region_code: str | None = None,
    decision: str | None = None,
    at: str | None = None,
) -> TransactWriteItemTypeDef:
    """The record as a ``Put`` of a transaction (a decision): committed with it, or not at all."""
    item = _item(
        action, application_id, caller, jurisdiction=jurisdiction, region_code=region_code, decision=decision, at=at
    )
    return {"Put": {"TableName": _table(), "Item": dynamo.to_item(item), "ConditionExpression": _NOT_YET}}


def record(
    action: str,
    application_id: str,
    caller: Caller,
    *,
    jurisdiction: str | None = None,
    region_code: str | None = None,
    decision: str | None = None,
    at: str | None = None,
) -> None:
    """Append one record; a second write for the same request (a retried invocation) adds nothing.

    ``jurisdiction`` is the caller's (属地审核), ``region_code`` the application's."""
    item = _item(
        action, application_id, caller, jurisdiction=jurisdiction, region_code=region_code, decision=decision, at=at
    )
    try:
        aws.dynamodb().put_item(TableName=_table(), Item=dynamo.to_item(item), ConditionExpression=_NOT_YET)
    except ClientError as error:
        if dynamo.error_code(error) != "ConditionalCheckFailedException":
            raise


def query(index: str, partition: str, limit: int, cursor: str | None) -> Page:
    """One Query on ``GSI1`` (by application) or ``GSI2`` (by principal and month), oldest first."""
    name = index.lower()
    request: dict[str, Any] = {
        "TableName": _table(),
        "IndexName": index,
        "KeyConditionExpression": f"{name}pk = :partition",
        "ExpressionAttributeValues": {":partition": {"S": partition}},
        "ScanIndexForward": True,
        "Limit": limit,
    }
    if cursor:
        plain = cursors.decode(cursor, index=name, partition=partition, item_type=ITEM_TYPE)
        request["ExclusiveStartKey"] = cursors.start_key(plain)
    response = aws.dynamodb().query(**request)
    items = [item for item in (dynamo.from_item(raw) for raw in response.get("Items", [])) if item]
    last_key = response.get("LastEvaluatedKey")
    return Page(items, cursors.encode(last_key) if last_key else None)
