"""The registration's stored item, typed, and the ONE place it is built; its history entries and
guards are those of every case (``internship.cases.items``). The certificate's items: ``certificates``.

- registration ``REGISTRATION#<id>``/``REGISTRATION`` (``Registration``): the fields below, plus the
  index keys of every case (``cases.items.index_keys``): mine (``PERSON#<personId>#REGS``), mine by
  status, and the review queues of its household register's city and county
  (``REGREVIEW#<city or county>#<status>``). Once approved it carries ``certificateNo`` and ``issuedAt``.
- history entry ``REGISTRATION#<id>``/``HISTORY#<at>#<seq>``.
- guard ``PERSON#<personId>``/``REGISTRATION``: registrationId, kind and status, while it is PENDING
  (one registration in progress per person; the certificate guards from its approval on).
- reference guard ``REFERENCE#<referenceNo>``/``REFERENCE``: registrationId (``DJ…``).

Plain dataclasses, no pydantic and no AWS (the stream publisher reads them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from internship import cases, keys
from internship.cases import CaseKind
from internship.cases.items import HistoryEntry, index_keys
from internship.items import TypedItem as _Item

KIND = CaseKind.REGISTRATION


class RegistrationKind(StrEnum):
    """登记类型: what the citizen registers as, to get the 就业创业证."""

    JOB_SEEKING = "JOB_SEEKING"  # 求职登记: 离校2年内未就业的高校、中职毕业生
    UNEMPLOYMENT = "UNEMPLOYMENT"  # 失业登记: 16-24周岁的城乡失业青年


KIND_LABELS: dict[str, str] = {RegistrationKind.JOB_SEEKING: "求职登记", RegistrationKind.UNEMPLOYMENT: "失业登记"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration(_Item):
    registration_id: str
    reference_no: str
    person_id: str
    kind: str  # ``RegistrationKind``
    status: str
    submitted_at: str
    month: str
    region_code: str  # the household register's county (户籍所在地): the jurisdiction (属地) that reviews it
    applicant: dict[str, Any] = field(default_factory=dict)  # name, idNumber, gender, birthDate
    form: dict[str, Any] = field(default_factory=dict)
    attachment_ids: list[str] = field(default_factory=list)
    # A snapshot of each attachment at submission: the detail is one Query.
    attachments: list[dict[str, Any]] = field(default_factory=list)
    updated_at: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    decided_jurisdiction: str | None = None
    reason: str | None = None
    certificate_no: str | None = None  # issued by the approval
    issued_at: str | None = None

    @property
    def listing(self) -> str:
        """The sort key of every index it is listed on: ``<submittedAt>#<id>``."""
        return keys.listing_sk(self.submitted_at, self.registration_id)

    def item(self) -> dict[str, Any]:
        """As stored: its attributes, keys and index keys."""
        return {
            **cases.key(KIND, self.registration_id),
            **self.attributes(),
            **index_keys(KIND, self.person_id, self.region_code, self.status, self.listing),
        }


def submitted(registration: Registration) -> HistoryEntry:
    return cases.items.submitted(KIND, registration.registration_id, registration.submitted_at)


def guard(registration: Registration) -> dict[str, Any]:
    """The person's one registration in progress (PENDING), with its kind (``GET /me/eligibility``)."""
    return cases.items.guard(
        KIND, registration.person_id, registration.registration_id, registration.submitted_at, kind=registration.kind
    )


def reference_guard(registration: Registration) -> dict[str, Any]:
    return cases.items.reference_guard(KIND, registration.reference_no, registration.registration_id)
