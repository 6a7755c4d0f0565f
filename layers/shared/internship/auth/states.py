"""Login states: the ``state`` and PKCE verifier of a login in progress, kept server-side 10 minutes.

Consumed by a conditional DeleteItem that returns the old item: of two callbacks racing with the
same state exactly one gets it, and a reused or forged state gets nothing. DynamoDB's TTL deletes
late, so the expiry is also checked on consumption.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from internship import aws, dynamo, keys

TTL_SECONDS = 600


def save(table: str, state: str, *, code_verifier: str, redirect: str, redirect_uri: str, now: int) -> None:
    item = {
        **keys.login_state(state),
        "codeVerifier": code_verifier,
        "redirect": redirect,
        "redirectUri": redirect_uri,
        keys.TTL: now + TTL_SECONDS,
    }
    aws.dynamodb().put_item(TableName=table, Item=dynamo.to_item(item), ConditionExpression="attribute_not_exists(pk)")


def consume(table: str, state: str, now: int) -> dict[str, Any] | None:
    """The saved login of ``state``, deleted in the same call; ``None`` if unknown, used or expired."""
    try:
        answer = aws.dynamodb().delete_item(
            TableName=table,
            Key=dynamo.to_item(keys.login_state(state)),
            ConditionExpression="attribute_exists(pk)",
            ReturnValues="ALL_OLD",
        )
    except ClientError as error:
        code = dynamo.error_code(error)
        if code == "ConditionalCheckFailedException":
            return None
        raise
    saved = dynamo.from_item(answer.get("Attributes"))
    if not saved or int(saved.get(keys.TTL, 0)) <= now:
        return None
    return saved
