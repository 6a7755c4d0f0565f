"""Use cases of messages (消息): my messages, newest first (all or unread), and reading one."""

from __future__ import annotations

from internship.messages import repository
from internship.messages.models import MessageList, MessageView


def my_messages(person_id: str, unread_only: bool, limit: int, cursor: str | None) -> MessageList:
    """A page of the person's messages with their unread count (one Query for the first page)."""
    found = repository.page(person_id, unread_only, limit, cursor)
    return MessageList(
        items=[
            MessageView(
                message_id=m.message_id,
                at=m.at,
                title=m.title,
                text=m.text,
                case_id=m.case_id,
                case_kind=m.case_kind,
                reference_no=m.reference_no,
                read=m.read,
            )
            for m in found.messages
        ],
        unread_count=found.unread_count,
        next_cursor=found.next_cursor,
    )


def mark_read(person_id: str, message_id: str) -> None:
    """Read one of the person's messages; reading it again changes nothing (another person's: 404)."""
    repository.mark_read(person_id, message_id)
