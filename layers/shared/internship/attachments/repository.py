"""The attachment item in the application table, and every DynamoDB access to it.

Item ``ATTACHMENT#<attachmentId>`` / ``ATTACHMENT`` (``keys.attachment``), its attributes those of
``AttachmentItem`` in camelCase (``ttl`` is ``keys.TTL``).

Only an ``UPLOADED`` attachment with no ``applicationId`` (or the same one) may be attached to a
case; ``binding_element`` states that as an element of the case's submission. ``applicationId``
names the case the attachment is bound to, whichever kind (an application or a registration: case
ids are unique across kinds), so an attachment belongs to at most one case at a time.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from internship import errors, keys
from internship.attachments.models import AttachmentKind, AttachmentStatus, AttachmentType
from internship.table import ConditionFailed, Table


@dataclass(frozen=True, slots=True)
class AttachmentItem:
    """A stored attachment; a new declaration awaits its upload until ``ttl``."""

    attachment_id: str  # random, 32 hex characters
    owner_id: str  # ``personId`` of the citizen who created it; nobody else sees it (404)
    kind: AttachmentKind
    file_name: str  # as declared (may be Chinese), ≤ 100 characters
    content_type: AttachmentType  # declared, then verified on confirmation
    size: int  # declared bytes, verified equal to the object's size on confirmation
    s3_key: str  # ``pending/<personId>/<attachmentId>``, ``confirmed/…`` once UPLOADED
    created_at: str  # ISO 8601, +08:00 (``clock.iso``), as ``confirmed_at``
    status: AttachmentStatus = AttachmentStatus.AWAITING_UPLOAD
    ttl: int | None = None  # epoch s, creation + 1 day, only while AWAITING_UPLOAD
    confirmed_at: str | None = None
    application_id: str | None = None  # the case (application or registration) a submission bound it to

    def uploaded(self, s3_key: str, at: str) -> AttachmentItem:
        """The attachment once its upload is confirmed (as ``mark_uploaded`` stores it)."""
        return dataclasses.replace(self, status=AttachmentStatus.UPLOADED, s3_key=s3_key, confirmed_at=at, ttl=None)

    def item(self) -> dict[str, Any]:
        return {
            **keys.attachment(self.attachment_id),
            "attachmentId": self.attachment_id,
            "ownerId": self.owner_id,
            "kind": self.kind.value,
            "fileName": self.file_name,
            "contentType": self.content_type.value,
            "size": self.size,
            "status": self.status.value,
            "s3Key": self.s3_key,
            "createdAt": self.created_at,
            "confirmedAt": self.confirmed_at,
            "applicationId": self.application_id,
            keys.TTL: self.ttl,
        }

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> AttachmentItem:
        return cls(
            attachment_id=item["attachmentId"],
            owner_id=item["ownerId"],
            kind=AttachmentKind(item["kind"]),
            file_name=item["fileName"],
            content_type=AttachmentType(item["contentType"]),
            size=int(item["size"]),
            s3_key=item["s3Key"],
            created_at=item["createdAt"],
            status=AttachmentStatus(item["status"]),
            ttl=item.get(keys.TTL),
            confirmed_at=item.get("confirmedAt"),
            application_id=item.get("applicationId"),
        )


def binding_element(attachment_id: str, case_id: str, person_id: str, reused_from: str | None = None) -> dict[str, Any]:
    """The element of a case's submission that binds this attachment to it: the person's own,
    confirmed, and free (or bound to ``reused_from``, the finished case a re-application copies)."""
    free = "attribute_not_exists(#case)" + (" OR #case = :reused" if reused_from else "")
    values = {":case": case_id, ":me": person_id, ":uploaded": AttachmentStatus.UPLOADED.value}
    return Table.main().update_element(
        keys.attachment(attachment_id),
        "SET #case = :case",
        condition=f"#owner = :me AND #status = :uploaded AND ({free})",
        names={"#case": "applicationId", "#owner": "ownerId", "#status": "status"},
        values={**values, ":reused": reused_from} if reused_from else values,
    )


def put_new(attachment: AttachmentItem) -> None:
    """Record a new attachment (the id is random; the condition only guards against a collision)."""
    Table.main().put(attachment.item(), condition="attribute_not_exists(pk)")


def get(attachment_id: str) -> AttachmentItem | None:
    item = Table.main().get(keys.attachment(attachment_id), consistent=True)
    return AttachmentItem.of(item) if item else None


def upload_times(attachment_ids: list[str]) -> dict[str, str]:
    """When each attachment was uploaded (confirmed), by id: one BatchGetItem (an attachment no longer
    kept is absent)."""
    found = Table.main().batch_get([keys.attachment(a) for a in dict.fromkeys(attachment_ids)])
    return {str(i["attachmentId"]): str(i.get("confirmedAt") or i.get("createdAt") or "") for i in found}


def mark_uploaded(attachment_id: str, owner_id: str, s3_key: str, confirmed_at: str) -> AttachmentItem | None:
    """AWAITING_UPLOAD → UPLOADED with its confirmed key, and stop its expiry.

    Returns the new item, or ``None`` when the item is not (any longer) this owner's attachment
    awaiting upload: the caller re-reads to tell "already confirmed" from "gone".
    """
    try:
        item = Table.main().update(
            keys.attachment(attachment_id),
            "SET #status = :uploaded, s3Key = :key, confirmedAt = :at REMOVE #ttl",
            condition="attribute_exists(pk) AND ownerId = :owner AND #status = :awaiting",
            names={"#status": "status", "#ttl": keys.TTL},
            values={
                ":uploaded": AttachmentStatus.UPLOADED.value,
                ":awaiting": AttachmentStatus.AWAITING_UPLOAD.value,
                ":key": s3_key,
                ":at": confirmed_at,
                ":owner": owner_id,
            },
        )
    except ConditionFailed:
        return None
    return AttachmentItem.of(item)


# --- the per-person cap on open upload slots -------------------------------------------------------

MAX_PENDING_UPLOADS = 20  # unconfirmed declarations whose upload link still works, per person
SLOT_ATTEMPTS = 3


def reserve_upload_slot(person_id: str, attachment_id: str, now: int, expires_at: int) -> bool:
    """Take one of the person's ``MAX_PENDING_UPLOADS`` upload slots until ``expires_at`` (epoch s).

    False when every slot is taken by a declaration whose link still works. The slots item is
    rewritten whole (expired slots dropped) on condition that nobody rewrote it since it was read,
    so two declarations racing cannot both take the last slot."""
    table, key = Table.main(), keys.pending_uploads(person_id)
    for _ in range(SLOT_ATTEMPTS):
        current = table.get(key, consistent=True) or {}
        slots = {name: int(until) for name, until in (current.get("slots") or {}).items() if int(until) > now}
        if len(slots) >= MAX_PENDING_UPLOADS:
            return False
        slots[attachment_id] = expires_at
        version = int(current.get("version") or 0)
        item = {**key, "slots": slots, "version": version + 1, keys.TTL: max(slots.values()) + 24 * 60 * 60}
        try:
            table.put(item, condition="attribute_not_exists(pk) OR version = :version", values={":version": version})
            return True
        except ConditionFailed:
            continue
    raise errors.Conflict("操作过于频繁，请稍后再试")


def release_upload_slot(person_id: str, attachment_id: str) -> None:
    """Give the slot back once its upload is confirmed (a missing slot is already free)."""
    with contextlib.suppress(ConditionFailed):
        Table.main().update(
            keys.pending_uploads(person_id),
            "REMOVE slots.#id",
            condition="attribute_exists(pk)",
            names={"#id": attachment_id},
        )
