"""The stored shapes of messages (keys per ``internship.keys``), typed; the only place they are built.

- message ``MESSAGE#<messageId>``/``MESSAGE`` (``Message``): on GSI11 ``MESSAGES#<personId>`` (mine)
  and, while unread, on GSI12 ``MESSAGES#<personId>#UNREAD``, both sorted ``<at>#<messageId>``.
- unread count ``PERSON#<personId>``/``MESSAGES``: ``unread``, and index keys ``~`` on the same two
  partitions, so a newest-first Query of either finds it first.

A message's id is a hash of the change it tells (the case and what happened to it), so the same
change delivered twice finds its message already there: one message per change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from internship import keys
from internship.items import TypedItem

ITEM_TYPE = "MESSAGE"
UNREAD_INDEX_KEYS = (f"{keys.UNREAD}pk", f"{keys.UNREAD}sk")


def message_id(case_kind: str, case_id: str, change: str) -> str:
    """The id of the message telling ``change`` of a case: the same change, the same id."""
    return hashlib.sha256(f"{case_kind}#{case_id}#{change}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True, kw_only=True)
class Message(TypedItem):
    message_id: str
    person_id: str
    at: str
    title: str
    text: str
    case_kind: str
    case_id: str
    reference_no: str
    read: bool = False

    def item(self, expires_at: int | None = None) -> dict[str, Any]:
        """As stored (``expires_at``: the case's retention TTL)."""
        listing = keys.listing_sk(self.at, self.message_id)
        item: dict[str, Any] = {
            **keys.message(self.message_id),
            **self.attributes(),
            f"{keys.OWNER}pk": keys.my_messages(self.person_id),
            f"{keys.OWNER}sk": listing,
            keys.TTL: expires_at,
        }
        if not self.read:
            item.update(dict(zip(UNREAD_INDEX_KEYS, (keys.my_unread_messages(self.person_id), listing), strict=True)))
        return item


def count_index_keys(person_id: str) -> dict[str, str]:
    """The unread count's index keys: first in both of the person's lists."""
    return {
        f"{keys.OWNER}pk": keys.my_messages(person_id),
        f"{keys.OWNER}sk": keys.TOP,
        f"{keys.UNREAD}pk": keys.my_unread_messages(person_id),
        f"{keys.UNREAD}sk": keys.TOP,
    }
