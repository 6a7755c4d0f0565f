"""Reviewer items: ``REVIEWER#<principalArn>``/``REVIEWER``, listed on GSI1 ``REVIEWERS`` (see ``keys``)."""

from __future__ import annotations

from typing import Any

from internship import aws, cursors, dynamo, keys
from internship.settings import get_settings

FIELDS = ("principalArn", "jurisdiction", "name", "updatedAt", "updatedBy")


def _table() -> str:
    return get_settings().table_name


def get(principal: str) -> dict[str, Any] | None:
    """One GetItem; ``None`` when the identity has no jurisdiction."""
    response = aws.dynamodb().get_item(TableName=_table(), Key=dynamo.to_item(keys.reviewer(principal)))
    return dynamo.from_item(response.get("Item"))


def put(principal: str, *, jurisdiction: str, name: str, at: str, by: str) -> dict[str, Any]:
    item = {
        **keys.reviewer(principal),
        "principalArn": principal,
        "jurisdiction": jurisdiction,
        "name": name,
        "updatedAt": at,
        "updatedBy": by,
        "gsi1pk": keys.REVIEWERS,
        "gsi1sk": principal,
    }
    aws.dynamodb().put_item(TableName=_table(), Item=dynamo.to_item(item))
    return item


def delete(principal: str) -> bool:
    """Remove the identity's jurisdiction; ``False`` if it had none."""
    response = aws.dynamodb().delete_item(
        TableName=_table(), Key=dynamo.to_item(keys.reviewer(principal)), ReturnValues="ALL_OLD"
    )
    return bool(response.get("Attributes"))


def page(limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Reviewers by ARN: one Query on GSI1 reading only what it returns."""
    request: dict[str, Any] = {
        "TableName": _table(),
        "IndexName": keys.GSI1,
        "KeyConditionExpression": "gsi1pk = :all",
        "ExpressionAttributeValues": {":all": {"S": keys.REVIEWERS}},
        "Limit": limit,
    }
    if cursor:
        plain = cursors.decode(cursor, index="gsi1", partition=keys.REVIEWERS, item_type="REVIEWER")
        request["ExclusiveStartKey"] = cursors.start_key(plain)
    response = aws.dynamodb().query(**request)
    items = [item for item in (dynamo.from_item(raw) for raw in response.get("Items", [])) if item]
    return items, cursors.encode(response.get("LastEvaluatedKey"))
