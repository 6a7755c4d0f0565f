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
from dataclasses import dataclass
from typing import Any

from internship import errors, keys

MESSAGE = "分页参数无效，请从第一页重新查询"
MAX_LENGTH = 1024
PATTERN = r"^[A-Za-z0-9_-]+$"  # unpadded base64url, as ``encode`` writes it


def encode(last_key: Mapping[str, Any] | None) -> str | None:
    """The cursor of a ``LastEvaluatedKey`` (attribute values ``{"S": …}`` or plain strings)."""
    if not last_key:
        return None
    plain = {name: value["S"] if isinstance(value, Mapping) else value for name, value in sorted(last_key.items())}
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(
    cursor: str,
    *,
    index: str,
    partition: str | Collection[str],
    item_type: str,
    sort_prefix: str | None = None,
    also: Collection[str] = (),
) -> dict[str, str]:
    """The plain last key of a cursor made for ``index`` (``gsi1`` …) and ``partition`` (or one of
    several, for a list merged from several partitions).

    ``item_type`` names the items listed (``APPLICATION``: keys ``APPLICATION#<id>``/``APPLICATION``,
    see ``keys``), ``also`` other sort keys of items in the same partitions that the list holds too
    (a position's ``REVISION``); ``sort_prefix`` is the month (or status rank) a query is restricted to.
    """
    partition_name, sort_name = f"{index}pk", f"{index}sk"
    try:
        if len(cursor) > MAX_LENGTH:
            raise ValueError(cursor)
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise errors.ValidationFailed.on("cursor", MESSAGE) from None
    if (
        not isinstance(plain, dict)
        or set(plain) != {keys.PK, keys.SK, partition_name, sort_name}
        or not all(isinstance(value, str) and value for value in plain.values())
        or plain[partition_name] not in ({partition} if isinstance(partition, str) else set(partition))
        or not _is_item(plain, item_type, also)
        or (sort_prefix is not None and not plain[sort_name].startswith(sort_prefix))
    ):
        raise errors.ValidationFailed.on("cursor", MESSAGE)
    return plain


def _is_item(plain: Mapping[str, str], item_type: str, also: Collection[str] = ()) -> bool:
    """``APPLICATION``: keys ``APPLICATION#<id>``/``APPLICATION`` (or a sort key of ``also``); ``RATING#``:
    an item kept in another item's partition under sort key ``RATING#<n>`` (a case's ratings)."""
    if item_type.endswith("#"):
        return plain[keys.SK].startswith(item_type)
    return plain[keys.PK].startswith(f"{item_type}#") and plain[keys.SK] in {item_type, *also}


@dataclass(frozen=True, slots=True)
class Scope:
    """What a list pages over: an index (``gsi1`` … ``gsi4``) partition (or several, merged), the
    kind of item listed (``APPLICATION``, see ``keys``) and optionally the month it is restricted
    to (a prefix of the sort key). The one cursor API: ``Table.page`` takes a scope, and a list
    that pages by hand (merged partitions, filtered reads) uses ``decode``/``encode`` here."""

    index: str
    partition: str | tuple[str, ...]
    item_type: str
    sort_prefix: str | None = None
    also: tuple[str, ...] = ()  # other sort keys listed with ``item_type`` (``cursors.decode``)

    @property
    def key_names(self) -> tuple[str, str]:
        """The index's partition and sort key attributes (``gsi1pk``, ``gsi1sk``)."""
        return f"{self.index}pk", f"{self.index}sk"

    def decode(self, cursor: str) -> dict[str, str]:
        """The plain last key a cursor of this scope carries (else 422 on ``cursor``)."""
        return decode(
            cursor,
            index=self.index,
            partition=self.partition,
            item_type=self.item_type,
            sort_prefix=self.sort_prefix,
            also=self.also,
        )

    def encode(self, last: Mapping[str, Any] | None) -> str | None:
        """The cursor after ``last`` (a LastEvaluatedKey or the last item answered: its key
        attributes are kept, nothing else); ``None`` when there is no next page."""
        if not last:
            return None
        return encode({name: last[name] for name in (keys.PK, keys.SK, *self.key_names)})
