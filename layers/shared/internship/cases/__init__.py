"""A case (办件): what messages, SMS and ratings (好差评) need to know of an application or a
registration, whichever kind it is.

Each kind of case lives in its own partition, ``<KIND>#<caseId>``, whose item ``<KIND>#<caseId>`` /
``<KIND>`` is the case itself (``keys._own``): an application is ``APPLICATION#<id>``/``APPLICATION``,
a registration (就业创业证的求职登记或失业登记) ``REGISTRATION#<id>``/``REGISTRATION``. Its history entries
and ratings are kept in the same partition (``HISTORY#…``, ``RATING#<n>``), so a case's detail reads
them in the one Query it makes.

Every kind is the same machinery (``internship.cases.items``: the statuses, history entries, the
person's one-active guard, the reference guard and the index keys that name a status;
``internship.cases.repository``: the submission's common elements, the ONE status move out of
PENDING, the lists and queues; ``internship.review``: the back office's queue, detail and decision),
told apart by its ``CaseType`` in ``TYPES``: how its item reads as a ``Case``, its id attribute, the
partitions that list it, its guard. Plain dataclasses, no pydantic (the queue consumer reads cases).
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
    REGISTRATION = "REGISTRATION"  # 就业创业证申领（求职登记、失业登记）


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
    certificate_no: str | None = None  # a registration's, once approved (就业创业证编号)

    @property
    def name(self) -> str:
        """What the citizen calls the case, in a message: 就业见习申请."""
        return TYPES[self.kind].name

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


def _registration(item: Mapping[str, Any]) -> Case:
    """A registration's jurisdiction is its household register's place (户籍所在地): the bureau
    there reviews it and issues the certificate."""
    form = item.get("form") or {}
    return Case(
        kind=CaseKind.REGISTRATION,
        case_id=str(item["registrationId"]),
        reference_no=str(item.get("referenceNo", "")),
        person_id=str(item.get("personId", "")),
        status=str(item.get("status", "")),
        region_code=str(item.get("regionCode") or form.get("householdRegionCode") or ""),
        phone=str(form.get("phone") or ""),
        reason=item.get("reason"),
        expires_at=item.get(keys.TTL),
        certificate_no=item.get("certificateNo"),
    )


@dataclass(frozen=True, slots=True)
class CaseType:
    """What tells one kind of case from another; everything else is the same machinery.

    ``id_field``: the attribute naming the case on its items (and in events); ``mine``: the word of
    the person's list partitions (``PERSON#<personId>#<mine>``, ``keys.my_cases``); ``queue``: the
    review queue's (``<queue>#<city or county>#<status>``, ``keys.review_queue_keys``); ``guard``: the
    sort key of the person's one-active guard (``PERSON#<personId>``/``<guard>``), which an approval
    keeps (``kept_when_approved``: one active application, PENDING or APPROVED) or releases (a
    registration's approval issues the certificate, which guards from then on); ``unit_listing``:
    the case is also listed for a host unit (the sort keys of GSI5/GSI6 name its status). ``noun``
    is what messages call it (未找到该申请), ``name`` what a citizen's message calls it (就业见习申请)."""

    kind: CaseKind
    id_field: str
    mine: str
    queue: str
    guard: str
    kept_when_approved: bool
    unit_listing: bool
    noun: str
    name: str
    reference_prefix: str  # of its reference numbers (办件编号): ``JX…``, ``DJ…``
    reader: Callable[[Mapping[str, Any]], Case]

    @property
    def not_found(self) -> str:
        return f"未找到该{self.noun}"


TYPES: dict[CaseKind, CaseType] = {
    CaseKind.APPLICATION: CaseType(
        CaseKind.APPLICATION, "applicationId", "APPS", "REVIEW", "ACTIVE",
        kept_when_approved=True, unit_listing=True, noun="申请", name="就业见习申请", reference_prefix="JX",
        reader=_application,
    ),
    CaseKind.REGISTRATION: CaseType(
        CaseKind.REGISTRATION, "registrationId", "REGS", "REGREVIEW", "REGISTRATION",
        kept_when_approved=False, unit_listing=False, noun="登记", name="就业创业证申领", reference_prefix="DJ",
        reader=_registration,
    ),
}  # fmt: skip


def partition(kind: CaseKind, case_id: str) -> str:
    return f"{kind.value}#{case_id}"


def key(kind: CaseKind, case_id: str) -> dict[str, str]:
    return {keys.PK: partition(kind, case_id), keys.SK: kind.value}


def of_item(kind: CaseKind, item: Mapping[str, Any] | None) -> Case | None:
    return TYPES[kind].reader(item) if item else None


def get(kind: CaseKind, case_id: str) -> Case | None:
    """The case, strongly consistent (one GetItem), or ``None``."""
    return of_item(kind, Table.main().get(key(kind, case_id), consistent=True))


def read_partition(kind: CaseKind, case_id: str) -> tuple[Case | None, list[dict[str, Any]]]:
    """The case and the other items of its partition but its history (its ratings): one strongly
    consistent Query (``cases.repository.read_case``)."""
    from internship.cases.repository import read_case

    item, _, others = read_case(kind, case_id)
    return of_item(kind, item), others
