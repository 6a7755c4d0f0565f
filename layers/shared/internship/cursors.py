"""Opaque page cursors, the one way every list endpoint pages.

A cursor is the base64url (unpadded) JSON of the page's ``LastEvaluatedKey`` (all key attributes
are strings in this table). It is only ever handed back, never built by clients, so decoding is
strict: a cursor made for another index partition, another month, another kind of item, or
anything that is not one of ours is a 422 on ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Mapping
from typing import Any

from internship import errors, keys

MESSAGE = "分页参数无效，请从第一页重新查询"
_MAX_LENGTH = 1024


def encode(last_key: Mapping[str, Any] | None) -> str | None:
    """The cursor of a ``LastEvaluatedKey`` (attribute values ``{"S": …}`` or plain strings)."""
    if not last_key:
        return None
    plain = {name: value["S"] if isinstance(value, Mapping) else value for name, value in sorted(last_key.items())}
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(
    cursor: str, *, index: str, partition: str | Collection[str], item_type: str, sort_prefix: str | None = None
) -> dict[str, str]:
    """The plain last key of a cursor made for ``index`` (``gsi1`` …) and ``partition`` (or one of
    several, for a list merged from several partitions).

    ``item_type`` names the items listed (``APPLICATION``: keys ``APPLICATION#<id>``/``APPLICATION``,
    see ``keys``); ``sort_prefix`` is the month a query is restricted to, if any.
    """
    partition_name, sort_name = f"{index}pk", f"{index}sk"
    try:
        if len(cursor) > _MAX_LENGTH:
            raise ValueError(cursor)
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise errors.ValidationFailed.on("cursor", MESSAGE) from None
    if (
        not isinstance(plain, dict)
        or set(plain) != {keys.PK, keys.SK, partition_name, sort_name}
        or not all(isinstance(value, str) and value for value in plain.values())
        or plain[partition_name] not in ({partition} if isinstance(partition, str) else set(partition))
        or not plain[keys.PK].startswith(f"{item_type}#")
        or plain[keys.SK] != item_type
        or (sort_prefix is not None and not plain[sort_name].startswith(sort_prefix))
    ):
        raise errors.ValidationFailed.on("cursor", MESSAGE)
    return plain


def start_key(plain: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """A decoded cursor as the ``ExclusiveStartKey`` of a client-API Query."""
    return {name: {"S": value} for name, value in plain.items()}
