"""The application aggregate's stored item, typed, and the ONE place it is built; its history
entries and guards are those of every case (``internship.cases.items``).

- application ``APPLICATION#<id>``/``APPLICATION`` (``Application``): the fields below, plus the index
  keys of every case (``cases.items.index_keys``: mine, mine by status, the county's, the city's and
  the province's review queue by status, the keys a withdrawal copies) and gsi5pk/gsi5sk and gsi6pk/gsi6sk (the
  applicants of its position's unit and of its position, by status: ``/unit/applications``; a
  withdrawal copies withdrawnGsi5sk/withdrawnGsi6sk too). Every status move rewrites gsi2pk, the
  queues' pks, gsi5sk and gsi6sk.
- history entry ``APPLICATION#<id>``/``HISTORY#<at>#<seq>`` (``cases.items.HistoryEntry``).
- guard ``PERSON#<personId>``/``ACTIVE``: applicationId and its status, while the person has a PENDING
  or APPROVED application (one active application per person).
- reference guard ``REFERENCE#<referenceNo>``/``REFERENCE``: applicationId (unique referenceNo).

Plain dataclasses, no pydantic and no AWS (cold start: the stream publisher reads statuses here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from internship import cases, keys
from internship.cases import CaseKind
from internship.cases.items import (
    APPLICANT_ACTOR,
    FIRST_MOVE_SEQ,
    SUBMITTED,
    SUBMITTED_SEQ,
    ApplicationStatus,
    HistoryEntry,
    index_keys,
)
from internship.items import TypedItem as _Item

__all__ = [
    "APPLICANT_ACTOR",
    "FIRST_MOVE_SEQ",
    "SUBMITTED",
    "SUBMITTED_SEQ",
    "Application",
    "ApplicationStatus",
    "HistoryEntry",
    "active_guard",
    "reference_guard",
    "submitted",
]
KIND = CaseKind.APPLICATION


@dataclass(frozen=True, slots=True, kw_only=True)
class Application(_Item):
    application_id: str
    reference_no: str
    person_id: str
    status: str
    submitted_at: str
    month: str
    position_id: str
    position_title: str = ""
    unit_name: str = ""
    unit_credit_code: str = ""  # the position's unit, who sees its applicants (``/unit/applications``)
    region_code: str = ""  # the position's: the application's jurisdiction (属地), fixed at submission
    applicant: dict[str, Any] = field(default_factory=dict)  # name, idNumber, gender, birthDate
    form: dict[str, Any] = field(default_factory=dict)
    attachment_ids: list[str] = field(default_factory=list)
    # A snapshot of each attachment at submission (``SNAPSHOT_FIELDS``): the detail is one Query.
    attachments: list[dict[str, Any]] = field(default_factory=list)
    copy_from: str | None = None
    updated_at: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    decided_jurisdiction: str | None = None
    reason: str | None = None

    @property
    def listing(self) -> str:
        """The sort key of every index it is listed on: ``<submittedAt>#<id>``."""
        return keys.listing_sk(self.submitted_at, self.application_id)

    def item(self) -> dict[str, Any]:
        """As stored: its attributes, keys and index keys."""
        unit = {}
        if self.unit_credit_code:
            unit["gsi5pk"] = keys.unit_applications(self.unit_credit_code)
            unit["gsi6pk"] = keys.position_applications(self.unit_credit_code, self.position_id)
        return {
            **keys.application(self.application_id),
            **self.attributes(),
            **index_keys(KIND, self.person_id, self.region_code, self.status, self.listing),
            **unit,
        }


def submitted(application: Application) -> HistoryEntry:
    """The first history entry of an application: its submission."""
    return cases.items.submitted(KIND, application.application_id, application.submitted_at)


def active_guard(application: Application) -> dict[str, Any]:
    """The person's one-active-application guard, held while it is PENDING or APPROVED."""
    return cases.items.guard(
        KIND, application.person_id, application.application_id, application.submitted_at, status=application.status
    )


def reference_guard(application: Application) -> dict[str, Any]:
    return cases.items.reference_guard(KIND, application.reference_no, application.application_id)
