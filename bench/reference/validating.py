"""Reference for the cold-init figures: the smallest handler built the way STYLE.md prescribes.

Powertools' REST resolver with request/response validation, a pydantic return type (what feeds the
generated OpenAPI), the Powertools Logger, and a lazily created DynamoDB client making the one
GetItem a ``GET /me`` makes. Nothing of ours: its ratio to the floor is what the libraries alone
cost, the line under which no function built on them can go.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel

logger = Logger()
app = APIGatewayRestResolver(enable_validation=True)


class Item(BaseModel):
    id: str
    found: bool


@cache
def _dynamodb() -> Any:
    import boto3

    return boto3.client("dynamodb")


@app.get("/items/<item_id>")
def get_item(item_id: str) -> Item:
    answer = _dynamodb().get_item(TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": item_id}, "sk": {"S": "X"}})
    return Item(id=item_id, found="Item" in answer)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
