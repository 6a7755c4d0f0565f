"""Reference for the cold-init figures: the same handler as ``validating.py`` without validation.

Powertools' REST resolver (routing only: no ``enable_validation``, no pydantic), the Powertools
Logger and the same lazy DynamoDB GetItem, answering a dict. What routing alone costs.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

logger = Logger()
app = APIGatewayRestResolver()


@cache
def _dynamodb() -> Any:
    import boto3

    return boto3.client("dynamodb")


@app.get("/items/<item_id>")
def get_item(item_id: str) -> dict[str, Any]:
    answer = _dynamodb().get_item(TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": item_id}, "sk": {"S": "X"}})
    return {"id": item_id, "found": "Item" in answer}


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
