"""The position aggregate's stored items, typed, and the ONE place they are built (keys per
``internship.keys``; attributes camelCase):

- position ``POSITION#<id>``/``POSITION`` (``PositionItem``): the fields its editors entered (as
  ``PositionInput`` stores them) and what the service keeps. Its index keys follow its status
  (``PositionItem.index_keys``, the only place they are computed): OPEN, the catalogue of its county,
  city and province (GSI8–GSI10), by deadline and from today on (``keys``: it leaves the catalogue
  when its deadline day ends); PENDING_REVIEW or REJECTED, the positions' review queues of its
  county, city and province (GSI8–GSI10), oldest submitted first; a unit's position, in every status,
  its unit's list (GSI11). A write sets the keys of the new status and removes the others.
- revision ``POSITION#<id>``/``REVISION`` (``RevisionItem``): a host unit's change to an OPEN
  position (修改), kept beside it until the bureau decides: the catalogue goes on showing the
  position's approved text; an approval replaces it with the revision's in one transaction. While
  PENDING_REVIEW or REJECTED it is in the positions' review queues; APPROVED it expires.

Plain dataclasses, no pydantic and no AWS (cold start: the stream publisher reads statuses here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from internship import keys


class PositionStatus(StrEnum):
    """A position's status (SPEC §4): only OPEN positions are in the catalogue."""

    PENDING_REVIEW = "PENDING_REVIEW"  # 待审核: a host unit's new position, awaiting the bureau
    OPEN = "OPEN"  # 已发布 (listed while its deadline has not passed)
    REJECTED = "REJECTED"  # 未通过: the bureau's reason is shown to the unit
    CLOSED = "CLOSED"  # 已关闭


STATUS_LABELS = {
    PositionStatus.PENDING_REVIEW: "待审核",
    PositionStatus.OPEN: "已发布",
    PositionStatus.REJECTED: "未通过",
    PositionStatus.CLOSED: "已关闭",
}
REVIEWED = frozenset({PositionStatus.PENDING_REVIEW, PositionStatus.REJECTED})  # in a review queue
APPROVED = "APPROVED"  # a revision's status once the bureau approved it (it then expires)
REVISION_KEEP_SECONDS = 30 * 24 * 3600  # how long an approved revision stays (the stream has seen it)
REVISION = "REVISION"  # the sort key of a revision item

# Every index key a position may carry (or carried under an earlier key design); a write sets those of
# its status and removes the rest.
INDEX_KEYS = tuple(f"gsi{n}{part}" for n in range(1, 13) for part in ("pk", "sk"))
# Stored attributes that are not the editors' fields: keys and what the service keeps.
_KEPT = frozenset({keys.PK, keys.SK, keys.TTL, *INDEX_KEYS, "positionId", "filled", "status", "version", "createdAt",
                   "updatedAt", "createdBy", "updatedBy", "createdJurisdiction", "updatedJurisdiction",
                   "submittedAt", "submittedBy", "publishedAt", "reason", "decidedAt", "decidedBy",
                   "decidedJurisdiction", "revision"})  # fmt: skip


def catalogue_keys(position_id: str, region_code: str, deadline: str, listed_at: str) -> dict[str, str]:
    """Index keys of an OPEN position: the catalogue of its county, city and province, sorted by its
    deadline, so that the catalogue read from today on no longer holds it once its deadline day ends."""
    return keys.by_place(keys.WHOLE, keys.CATALOGUE, region_code, keys.catalogue_sk(deadline, listed_at, position_id))


def review_keys(position_id: str, region_code: str, status: str, submitted_at: str) -> dict[str, str]:
    """The positions' review queue keys (county, city, province) of what awaits or failed review."""
    listing = keys.listing_sk(submitted_at, position_id)
    return keys.by_place(keys.WHOLE, keys.POSITION_REVIEW, region_code, listing, status)


def _fields(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in _KEPT}


@dataclass(frozen=True, slots=True)
class PositionItem:
    """A stored position: the fields its editors entered (camelCase) and what the service keeps.
    Who entered or changed it, and in which jurisdiction, is never answered."""

    position_id: str
    fields: Mapping[str, Any]
    created_at: str
    updated_at: str
    status: PositionStatus = PositionStatus.OPEN
    filled: int = 0
    version: int = 1
    created_by: str | None = None
    created_jurisdiction: str | None = None
    updated_by: str | None = None
    updated_jurisdiction: str | None = None
    # A host unit's position: when it was (last) sent for review, and the bureau's decision.
    submitted_at: str | None = None
    published_at: str | None = None  # when it entered the catalogue (its place there, newest first)
    reason: str | None = None  # why the bureau rejected it (shown to the unit)
    decided_at: str | None = None
    decided_by: str | None = None
    decided_jurisdiction: str | None = None
    # The unit's change awaiting review, or rejected: ``{status, submittedAt, reason}`` (its text is the
    # ``RevisionItem``); ``None`` when there is none.
    revision: Mapping[str, Any] | None = None

    @property
    def region_code(self) -> str:
        return str(self.fields.get("regionCode", ""))

    @property
    def unit_credit_code(self) -> str:
        return str(self.fields.get("unitCreditCode", ""))

    @property
    def deadline(self) -> str:
        """The last day it takes applications (``YYYY-MM-DD``, Asia/Shanghai)."""
        return str(self.fields.get("deadline", ""))

    def index_keys(self) -> dict[str, str]:
        """The index keys of its status (module docstring)."""
        found: dict[str, str] = {}
        if self.unit_credit_code:
            found[f"{keys.OWNER}pk"] = keys.unit_positions(self.unit_credit_code)
            found[f"{keys.OWNER}sk"] = keys.unit_positions_sk(self.status, self.created_at, self.position_id)
        if self.status is PositionStatus.OPEN:
            listed = self.published_at or self.created_at
            found.update(catalogue_keys(self.position_id, self.region_code, self.deadline, listed))
        elif self.status in REVIEWED:
            submitted = self.submitted_at or self.created_at
            found.update(review_keys(self.position_id, self.region_code, self.status, submitted))
        return found

    def answer(self) -> dict[str, Any]:
        """The position as every route answers it (``models.Position``)."""
        return {
            **self.fields,
            "positionId": self.position_id,
            "filled": self.filled,
            "status": self.status.value,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "version": self.version,
        }

    def unit_answer(self, revision: RevisionItem | None = None) -> dict[str, Any]:
        """The position as its own unit sees it (``models.UnitPosition``): with the reason of a
        rejection and its change awaiting review (with the change's text when ``revision`` is given)."""
        change = None
        if self.revision:
            change = {**dict(self.revision), **(revision.answer() if revision is not None else {})}
        return {**self.answer(), "submittedAt": self.submitted_at, "reason": self.reason, "revision": change}

    def item(self) -> dict[str, Any]:
        """The stored item, with the index keys of its status."""
        return {
            **keys.position(self.position_id),
            **self.answer(),
            "createdBy": self.created_by,
            "createdJurisdiction": self.created_jurisdiction,
            "updatedBy": self.updated_by,
            "updatedJurisdiction": self.updated_jurisdiction,
            **{name: value for name, value in self.bookkeeping().items() if value is not None},
            **self.index_keys(),
        }

    def bookkeeping(self) -> dict[str, Any]:
        """What the service keeps of a unit's position and its review (stored, never all answered)."""
        return {
            "submittedAt": self.submitted_at,
            "publishedAt": self.published_at,
            "reason": self.reason,
            "decidedAt": self.decided_at,
            "decidedBy": self.decided_by,
            "decidedJurisdiction": self.decided_jurisdiction,
            "revision": dict(self.revision) if self.revision else None,
        }

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> PositionItem:
        return cls(
            position_id=str(item["positionId"]),
            fields=_fields(item),
            created_at=str(item["createdAt"]),
            updated_at=str(item["updatedAt"]),
            status=PositionStatus(item["status"]),
            filled=int(item.get("filled", 0)),
            version=int(item.get("version", 1)),
            created_by=item.get("createdBy"),
            created_jurisdiction=item.get("createdJurisdiction"),
            updated_by=item.get("updatedBy") or None,
            updated_jurisdiction=item.get("updatedJurisdiction") or None,
            submitted_at=item.get("submittedAt"),
            published_at=item.get("publishedAt"),
            reason=item.get("reason"),
            decided_at=item.get("decidedAt"),
            decided_by=item.get("decidedBy"),
            decided_jurisdiction=item.get("decidedJurisdiction"),
            revision=item.get("revision") or None,
        )


def new_item(
    position_id: str,
    fields: Mapping[str, Any],
    *,
    created_at: str,
    created_by: str | None,
    jurisdiction: str | None = None,
    status: PositionStatus = PositionStatus.OPEN,
) -> PositionItem:
    """A new position, nothing filled, version 1: the one builder. The bureau's own is OPEN at once
    (published as it is created); a host unit's is PENDING_REVIEW, submitted as it is created."""
    published = created_at if status is PositionStatus.OPEN else None
    submitted = created_at if status is PositionStatus.PENDING_REVIEW else None
    return PositionItem(
        position_id,
        dict(fields),
        created_at,
        created_at,
        status=status,
        created_by=created_by,
        created_jurisdiction=jurisdiction,
        submitted_at=submitted,
        published_at=published,
    )


@dataclass(frozen=True, slots=True)
class RevisionItem:
    """A host unit's change to an OPEN position (修改待审核): the whole text it proposes, until the
    bureau of the position's place approves it (it then replaces the position's text) or rejects it."""

    position_id: str
    fields: Mapping[str, Any]
    submitted_at: str
    submitted_by: str
    status: str = PositionStatus.PENDING_REVIEW
    reason: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    decided_jurisdiction: str | None = None
    ttl: int | None = None

    @property
    def region_code(self) -> str:
        return str(self.fields.get("regionCode", ""))

    def summary(self) -> dict[str, Any]:
        """What the position keeps of it (``PositionItem.revision``)."""
        return {"status": self.status, "submittedAt": self.submitted_at, "reason": self.reason}

    def answer(self) -> dict[str, Any]:
        """The change as its unit and the bureau read it: its text, status, when, why rejected."""
        return {**self.fields, **self.summary()}

    def index_keys(self) -> dict[str, str]:
        if self.status in REVIEWED:
            return review_keys(self.position_id, self.region_code, self.status, self.submitted_at)
        return {}

    def item(self) -> dict[str, Any]:
        stored = {
            keys.PK: keys.position(self.position_id)[keys.PK],
            keys.SK: REVISION,
            **self.fields,
            "positionId": self.position_id,
            "submittedBy": self.submitted_by,
            **self.summary(),
            "decidedAt": self.decided_at,
            "decidedBy": self.decided_by,
            "decidedJurisdiction": self.decided_jurisdiction,
            keys.TTL: self.ttl,
            **self.index_keys(),
        }
        return {name: value for name, value in stored.items() if value is not None}

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> RevisionItem:
        return cls(
            position_id=str(item["positionId"]),
            fields=_fields(item),
            submitted_at=str(item["submittedAt"]),
            submitted_by=str(item.get("submittedBy", "")),
            status=str(item.get("status", PositionStatus.PENDING_REVIEW)),
            reason=item.get("reason"),
            decided_at=item.get("decidedAt"),
            decided_by=item.get("decidedBy"),
            decided_jurisdiction=item.get("decidedJurisdiction"),
            ttl=int(item[keys.TTL]) if item.get(keys.TTL) else None,
        )
