"""The stored shapes of ratings (好差评), typed, and the only place they are built (keys per ``internship.keys``).

- rating ``<KIND>#<caseId>``/``RATING#<n>`` (``Rating``), in its case's partition: the case's detail
  reads it with the case. ``n`` is 1, or 2 for the one more rating a done follow-up allows, so
  "rated once" is a put on a key that must not exist. Listed by place (``RATINGS#<place>`` of its
  county, city and province, GSI8–GSI10), sorted ``<ratedAt>#<ratingId>``. It keeps a copy of its
  follow-up's state (``followUp``), which the closing transaction updates with it.
- follow-up ``FOLLOWUP#<ratingId>``/``FOLLOWUP`` (``FollowUp``) of a 差评 (level 1 or 2): due 10
  working days after the rating (``internship.workdays``), listed by place (``FOLLOWUPS#<place>``,
  GSI8–GSI10), sorted ``<status rank>#<dueDate>#<ratingId>``: the open ones first (an overdue one is
  open and due before today: the first range of the open ones), then the done.

Both carry the case's retention TTL: they go when the case goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from internship import keys
from internship.items import TypedItem

# GB/T 39734-2020 7.3: five levels.
LEVEL_LABELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_LEVELS = frozenset({1, 2})  # 差评: followed up
FOLLOW_UP_WORKING_DAYS = 10
FIRST, AFTER_FOLLOW_UP = 1, 2  # a case's ratings: the first, and one more after a follow-up of a 差评
RATING_PREFIX = "RATING#"


class FollowUpStatus(StrEnum):
    """回访状态 as stored; OVERDUE (逾期) is an OPEN one past its due date, computed on reading."""

    OPEN = "OPEN"  # 待回访
    DONE = "DONE"  # 已办结


def follow_up_state(status: str, due_date: str, today: date) -> str:
    """OPEN, OVERDUE or DONE: what the back office and the citizen see."""
    if status == FollowUpStatus.OPEN and due_date < today.isoformat():
        return "OVERDUE"
    return status


@dataclass(frozen=True, slots=True, kw_only=True)
class Rating(TypedItem):
    rating_id: str
    case_kind: str
    case_id: str
    seq: int
    reference_no: str
    person_id: str
    level: int
    comment: str | None = None
    rated_at: str
    month: str
    region_code: str
    follow_up: dict[str, Any] | None = None  # {status, dueDate, result, doneAt}: the follow-up's, copied

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]

    def item(self, expires_at: int | None = None) -> dict[str, Any]:
        listing = keys.listing_sk(self.rated_at, self.rating_id)
        return {
            keys.PK: f"{self.case_kind}#{self.case_id}",
            keys.SK: f"{RATING_PREFIX}{self.seq}",
            **self.attributes(),
            **keys.rating_keys(self.region_code, listing),
            keys.TTL: expires_at,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp(TypedItem):
    rating_id: str
    case_kind: str
    case_id: str
    seq: int  # the rating's
    reference_no: str
    level: int
    comment: str | None = None
    rated_at: str
    region_code: str
    due_date: str
    status: str = FollowUpStatus.OPEN
    result: str | None = None  # for the citizen
    note: str | None = None  # the bureau's own
    done_at: str | None = None
    done_by: str | None = None  # the reviewer's IAM principal (back office only)
    done_jurisdiction: str | None = None

    def index_keys(self) -> dict[str, str]:
        """Its place's lists, at its status and due date (the sort keys change when it is done)."""
        return keys.follow_up_keys(self.region_code, self.status, self.due_date, self.rating_id)

    def item(self, expires_at: int | None = None) -> dict[str, Any]:
        return {
            **keys.follow_up(self.rating_id),
            **self.attributes(),
            **self.index_keys(),
            keys.TTL: expires_at,
        }

    @classmethod
    def of_rating(cls, rating: Rating, due_date: str) -> FollowUp:
        """The follow-up a 差评 opens, due on ``due_date``."""
        kept = (
            "rating_id",
            "case_kind",
            "case_id",
            "seq",
            "reference_no",
            "level",
            "comment",
            "rated_at",
            "region_code",
        )
        return cls(**{name: getattr(rating, name) for name in kept}, due_date=due_date)

    def copy(self) -> dict[str, Any]:
        """What its rating keeps of it (``Rating.follow_up``)."""
        return {"status": self.status, "dueDate": self.due_date, "result": self.result, "doneAt": self.done_at}


def ratings_of(items: list[dict[str, Any]]) -> list[Rating]:
    """The ratings among a case partition's items, first one first."""
    found = [Rating.of(item) for item in items if str(item.get(keys.SK, "")).startswith(RATING_PREFIX)]
    return sorted(found, key=lambda rating: rating.seq)


def next_seq(ratings: list[Rating]) -> int | None:
    """The number the case's next rating takes, or ``None`` when it may not be rated again: once,
    and once more after the follow-up of a 差评 is done (GB/T 39734-2020 9.3)."""
    if not ratings:
        return FIRST
    if len(ratings) == 1 and (ratings[0].follow_up or {}).get("status") == FollowUpStatus.DONE:
        return AFTER_FOLLOW_UP
    return None
