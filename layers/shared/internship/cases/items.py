"""What every kind of case stores alike, and the ONE place it is built: the statuses, the index keys
that list a case and name its status, its history entries, the person's one-active guard and the
reference number guard (keys per ``internship.keys``; a kind's own words per ``cases.TYPES``).

- the case ``<KIND>#<id>``/``<KIND>`` (``applications.items.Application``,
  ``registrations.items.Registration``) carries ``index_keys``: gsi1pk/gsi1sk (mine), gsi2pk/gsi2sk
  (mine by status), gsi4pk/gsi4sk, gsi3pk/gsi3sk and gsi7pk/gsi7sk (the county's, the city's and the
  province's review queue by status) and the keys a withdrawal copies (``withdrawnGsi3pk`` …:
  ``keys``). Every status move rewrites the keys that name the status (``status_keys``).
- history entry ``<KIND>#<id>``/``HISTORY#<at>#<seq>`` (``HistoryEntry``), naming its case by the
  kind's id attribute (``applicationId``, ``registrationId``).
- guard ``PERSON#<personId>``/``<guard>``: the case id and its status, while the person has an active
  case of that kind (``guard``).
- reference guard ``REFERENCE#<referenceNo>``/``REFERENCE``: the case id (unique reference numbers
  across every kind: applications' ``JX…`` and registrations' ``DJ…`` share the guard's partition).

Plain dataclasses, no pydantic and no AWS (cold start: the stream publisher reads statuses here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from internship import keys
from internship.cases import TYPES, CaseKind, partition


class ApplicationStatus(StrEnum):
    """审核状态 of every case (an application's, a registration's): the contract's status values."""

    PENDING = "PENDING"  # 未审核
    APPROVED = "APPROVED"  # 审核通过
    REJECTED = "REJECTED"  # 审核不通过
    WITHDRAWN = "WITHDRAWN"  # 已撤回


# Sequence numbers of history entries: the submission is step 0, the one move out of PENDING step 1.
SUBMITTED_SEQ, FIRST_MOVE_SEQ = 0, 1
SUBMITTED = "SUBMITTED"  # the history action of a submission
APPLICANT_ACTOR = "applicant"  # who a citizen's own moves are recorded as
WITHDRAWN_QUEUE_COPIES = keys.QUEUE_PARTITIONS
WITHDRAWN_UNIT_COPIES = ("gsi5sk", "gsi6sk")


def withdrawn_copies(kind: CaseKind) -> tuple[str, ...]:
    """The keys a withdrawal copies from the case, stored ready at submission (``keys``)."""
    return WITHDRAWN_QUEUE_COPIES + (WITHDRAWN_UNIT_COPIES if TYPES[kind].unit_listing else ())


def status_keys(kind: CaseKind, person_id: str, region_code: str, status: str, listing: str) -> dict[str, str]:
    """The index keys that name the status: mine by status (GSI2), the review queues (GSI4/GSI3/GSI7) and,
    for a case a host unit lists, the sort keys of its unit's and position's lists (GSI5/GSI6:
    without a unit, no ``gsi5pk``/``gsi6pk``, so they index nothing, and a withdrawal still finds them)."""
    kind_type = TYPES[kind]
    named = {
        "gsi2pk": keys.my_cases_by_status(person_id, kind_type.mine, status),
        **keys.review_queue_keys(kind_type.queue, region_code, status, listing),
    }
    if kind_type.unit_listing:
        submitted_at, case_id = listing.rsplit("#", 1)
        named["gsi5sk"] = named["gsi6sk"] = keys.unit_applications_sk(status, submitted_at, case_id)
    return named


def index_keys(kind: CaseKind, person_id: str, region_code: str, status: str, listing: str) -> dict[str, str]:
    """Every index key of a case as submitted: mine (GSI1), mine by status, its queues, and the keys a
    withdrawal copies (``withdrawnGsi3pk`` …), computed now because the withdrawal reads nothing."""
    withdrawn = status_keys(kind, person_id, region_code, ApplicationStatus.WITHDRAWN, listing)
    return {
        "gsi1pk": keys.my_cases(person_id, TYPES[kind].mine),
        "gsi1sk": listing,
        "gsi2sk": listing,
        **status_keys(kind, person_id, region_code, status, listing),
        **{f"withdrawnG{name[1:]}": withdrawn[name] for name in withdrawn_copies(kind)},
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    """One step of a case's history (办理记录): its submission, then its one move out of PENDING."""

    kind: CaseKind
    case_id: str
    at: str
    seq: int = SUBMITTED_SEQ
    action: str
    actor: str
    status: str
    reason: str | None = None
    jurisdiction: str | None = None  # the decider's (属地)

    def item(self, expires_at: int | None = None) -> dict[str, Any]:
        """As stored (``expires_at``: the retention TTL, ``internship.retention``)."""
        return {
            keys.PK: partition(self.kind, self.case_id),
            keys.SK: keys.history_sk(self.at, self.seq),
            TYPES[self.kind].id_field: self.case_id,
            "at": self.at,
            "seq": self.seq,
            "action": self.action,
            "actor": self.actor,
            "status": self.status,
            "reason": self.reason,
            "jurisdiction": self.jurisdiction,
            keys.TTL: expires_at,
        }

    @classmethod
    def of(cls, kind: CaseKind, case_id: str, item: Mapping[str, Any]) -> HistoryEntry:
        """An entry as stored (decisions recorded before the one status move carry no case id)."""
        return cls(
            kind=kind,
            case_id=case_id,
            at=str(item["at"]),
            seq=int(item.get("seq") or SUBMITTED_SEQ),
            action=str(item["action"]),
            actor=str(item["actor"]),
            status=str(item["status"]),
            reason=item.get("reason"),
            jurisdiction=item.get("jurisdiction"),
        )


def submitted(kind: CaseKind, case_id: str, at: str) -> HistoryEntry:
    """The first history entry of a case: its submission."""
    return HistoryEntry(
        kind=kind, case_id=case_id, at=at, action=SUBMITTED, actor=APPLICANT_ACTOR, status=ApplicationStatus.PENDING
    )


def guard(case_kind: CaseKind, person_id: str, case_id: str, created_at: str, **extra: Any) -> dict[str, Any]:
    """The person's one-active guard of this kind, held while the case is PENDING (and APPROVED where
    the kind keeps it), naming the case and its status (so ``GET /me/eligibility`` reads it alone)."""
    kind_type = TYPES[case_kind]
    return {
        **keys.case_guard(person_id, kind_type.guard),
        kind_type.id_field: case_id,
        "status": ApplicationStatus.PENDING.value,
        "createdAt": created_at,
        **extra,
    }


def reference_guard(kind: CaseKind, reference_no: str, case_id: str) -> dict[str, Any]:
    return {**keys.reference(reference_no), TYPES[kind].id_field: case_id}
