"""Plain dicts to DynamoDB attribute values and back: the one conversion every repository uses.

Numbers come back as ``int`` when whole (headcounts, sizes, versions), else ``float``, so models
and JSON answers never see ``Decimal``. What an AWS error means is ``internship.aws_errors``' call;
transactions are written with ``internship.transactions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from internship import aws_errors


@cache
def _converters() -> tuple[Any, Any]:
    # boto3's serializers, loaded on first use rather than at import (cold start).
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


def _dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_dynamo(v) for v in value]
    return value


def to_item(data: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict as a DynamoDB item; ``None`` values are left out."""
    serializer = _converters()[0]
    return {k: serializer.serialize(_dynamo(v)) for k, v in data.items() if v is not None}


def to_value(value: Any) -> dict[str, Any]:
    """One plain value as an attribute value (for expression values)."""
    return dict(_converters()[0].serialize(_dynamo(value)))


def from_item(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not item:
        return None
    deserializer = _converters()[1]
    return {k: _plain(deserializer.deserialize(v)) for k, v in item.items()}


# The AWS error code of a botocore ``ClientError`` (empty for anything else); one definition.
error_code = aws_errors.error_code


def cancellation_codes(error: Exception) -> list[str]:
    """Per-item reasons of a cancelled transaction (``ConditionalCheckFailed``, ``None`` …)."""
    response = getattr(error, "response", None) or {}
    return [str(reason.get("Code", "None")) for reason in response.get("CancellationReasons", [])]
