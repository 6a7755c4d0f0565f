"""A case (办件): what messages, SMS and ratings (好差评) need to know of an application or a
registration, whichever kind it is.

Each kind of case lives in its own partition, ``<KIND>#<caseId>``, whose item ``<KIND>#<caseId>`` /
``<KIND>`` is the case itself (``keys._own``): an application is ``APPLICATION#<id>``/``APPLICATION``.
Ratings are kept in the same partition (``RATING#<n>``, ``internship.ratings``), so a case's detail
reads its ratings in the Query it already makes. ``KINDS`` maps each kind to how its stored item
reads as a ``Case``; a new kind of case (the 就业创业证's registrations) plugs in by adding its
``CaseKind`` and its reader there. Plain dataclasses, no pydantic (the queue consumer reads cases).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from internship import keys
from internship.table import Table

FINISHED = frozenset({"APPROVED", "REJECTED", "WITHDRAWN"})  # a finished case may be rated (好差评)


class CaseKind(StrEnum):
    """办件类型."""

    APPLICATION = "APPLICATION"  # 就业见习人员申请


@dataclass(frozen=True, slots=True)
class Case:
    """What every kind of case answers. ``phone`` is the one the citizen gave on the case (personal
    data: never logged, never on the bus); ``expires_at`` its retention TTL, which the items made
    about it (messages, ratings) share."""

    kind: CaseKind
    case_id: str
    reference_no: str
    person_id: str
    status: str
    region_code: str  # the case's jurisdiction (属地)
    phone: str = ""
    reason: str | None = None  # a rejection's reason
    expires_at: int | None = None

    @property
    def name(self) -> str:
        """What the citizen calls the case, in a message: 就业见习申请."""
        return NAMES[self.kind]

    @property
    def partition(self) -> str:
        return partition(self.kind, self.case_id)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


def _application(item: Mapping[str, Any]) -> Case:
    return Case(
        kind=CaseKind.APPLICATION,
        case_id=str(item["applicationId"]),
        reference_no=str(item.get("referenceNo", "")),
        person_id=str(item.get("personId", "")),
        status=str(item.get("status", "")),
        region_code=str(item.get("regionCode", "")),
        phone=str((item.get("form") or {}).get("phone") or ""),
        reason=item.get("reason"),
        expires_at=item.get(keys.TTL),
    )


# How each kind's stored item reads as a case. A registration adds ``CaseKind.REGISTRATION`` and its
# reader (its phone, its householdRegionCode as region).
KINDS: dict[CaseKind, Callable[[Mapping[str, Any]], Case]] = {CaseKind.APPLICATION: _application}
NAMES: dict[CaseKind, str] = {CaseKind.APPLICATION: "就业见习申请"}


def partition(kind: CaseKind, case_id: str) -> str:
    return f"{kind.value}#{case_id}"


def key(kind: CaseKind, case_id: str) -> dict[str, str]:
    return {keys.PK: partition(kind, case_id), keys.SK: kind.value}


def of_item(kind: CaseKind, item: Mapping[str, Any] | None) -> Case | None:
    return KINDS[kind](item) if item else None


def get(kind: CaseKind, case_id: str) -> Case | None:
    """The case, strongly consistent (one GetItem), or ``None``."""
    return of_item(kind, Table.main().get(key(kind, case_id), consistent=True))


def read_partition(kind: CaseKind, case_id: str) -> tuple[Case | None, list[dict[str, Any]]]:
    """The case and every other item of its partition (history, ratings): one strongly consistent Query."""
    found, _ = Table.main().query(
        "#pk = :pk", {":pk": partition(kind, case_id)}, names={"#pk": keys.PK}, consistent=True
    )
    case = next((of_item(kind, item) for item in found if item.get(keys.SK) == kind.value), None)
    return case, [item for item in found if item.get(keys.SK) != kind.value]
