"""DynamoDB access for messages: append once, a page of mine with the unread count, mark read.

The unread count moves only inside the transactions that add an unread message or read one, so it
is always the number of unread messages. Round trips (SPEC §7): the first page of either list is
ONE Query (the count is the first item of both index partitions, ``items``); a later page is its
Query and one GetItem of the count; marking read is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from internship import cursors, errors, keys
from internship.messages.items import ITEM_TYPE, UNREAD_INDEX_KEYS, Message, count_index_keys
from internship.table import Table
from internship.transactions import CONDITION_FAILED, Cancelled, Transaction

CONFLICT_ATTEMPTS = 3  # two changes of one person's cases told at the same moment both move the count
NOT_FOUND = "未找到该消息"


def append(message: Message, expires_at: int | None = None) -> bool:
    """Store ``message`` (unread) and count it, in one transaction; ``False`` when it was stored
    before (the same change told again: nothing changes)."""
    table = Table.main()
    tx = Transaction()
    tx.add("message", table.put_new_element(message.item(expires_at)))
    index = count_index_keys(message.person_id)
    tx.add("count", table.update_element(
        keys.unread_count(message.person_id),
        "SET " + ", ".join(f"{name} = :{name}" for name in index) + " ADD unread :one",
        values={**{f":{name}": value for name, value in index.items()}, ":one": 1},
    ))  # fmt: skip
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            tx.commit()
        except Cancelled as cancelled:
            if cancelled.condition_failed("message"):
                return False
            if cancelled.conflicted and not cancelled.throttled and attempt + 1 < CONFLICT_ATTEMPTS:
                continue
            raise
        return True
    return False  # not reached: the last attempt returns or raises


@dataclass(frozen=True, slots=True)
class MessagePage:
    messages: list[Message]
    unread_count: int
    next_cursor: str | None


def scope(person_id: str, unread_only: bool) -> cursors.Scope:
    if unread_only:
        return cursors.Scope(keys.UNREAD, keys.my_unread_messages(person_id), ITEM_TYPE)
    return cursors.Scope(keys.OWNER, keys.my_messages(person_id), ITEM_TYPE)


def page(person_id: str, unread_only: bool, limit: int, cursor: str | None) -> MessagePage:
    """Newest first. The first page reads the count with the messages (asking one item more: the
    count comes first); a later page starts below it and reads the count by its key."""
    where = scope(person_id, unread_only)
    partition_name, _ = where.key_names
    found, last = Table.main().query(
        f"{partition_name} = :partition",
        {":partition": where.partition},
        index=where.index,
        limit=limit if cursor else limit + 1,
        newest_first=True,
        start=where.decode(cursor) if cursor else None,
    )
    count = next((item for item in found if item.get(keys.SK) == "MESSAGES"), None)
    listed = [Message.of(item) for item in found if item.get(keys.SK) == ITEM_TYPE]
    messages = listed[:limit]
    if count is None and (cursor or listed):  # a later page, or a first page the index shows before its count
        count = Table.main().get(keys.unread_count(person_id), consistent=True)
    count = count or {}  # a first page with nothing: nobody has told this person anything yet
    more = last is not None or len(listed) > limit
    next_cursor = (
        where.encode({**keys.message(messages[-1].message_id), **_listing(where, messages[-1])})
        if more and messages
        else None
    )
    return MessagePage(messages, max(int(count.get("unread", 0)), 0), next_cursor)


def _listing(where: cursors.Scope, message: Message) -> dict[str, str]:
    partition_name, sort_name = where.key_names
    return {partition_name: str(where.partition), sort_name: keys.listing_sk(message.at, message.message_id)}


def mark_read(person_id: str, message_id: str) -> bool:
    """Read one of the person's messages (no longer on the unread list; the count one less), in one
    transaction. ``False`` if it was read already; 404 if it is not the person's (or does not exist)."""
    table = Table.main()
    tx = Transaction()
    tx.add("message", table.update_element(
        keys.message(message_id),
        f"SET #read = :true REMOVE {', '.join(UNREAD_INDEX_KEYS)}",
        condition="personId = :me AND #read = :false",
        names={"#read": "read"},
        values={":me": person_id, ":true": True, ":false": False},
        old_on_failure=True,
    ))  # fmt: skip
    tx.add("count", table.update_element(keys.unread_count(person_id), "ADD unread :minus", values={":minus": -1}))
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            tx.commit()
        except Cancelled as cancelled:
            if cancelled.throttled:
                raise errors.Throttled() from cancelled
            stored: dict[str, Any] | None = cancelled.reason("message").item
            if cancelled.reason("message").code == CONDITION_FAILED:
                if not stored or stored.get("personId") != person_id:
                    raise errors.NotFound(NOT_FOUND) from cancelled
                return False
            if cancelled.conflicted and attempt + 1 < CONFLICT_ATTEMPTS:
                continue
            raise errors.Conflict() from cancelled
        return True
    return False  # not reached
