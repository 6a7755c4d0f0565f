"""The application aggregate's stored items, typed, and the ONE place they are built: the
application, its history entries and its guards (keys per ``internship.keys``; attributes camelCase).

- application ``APPLICATION#<id>``/``APPLICATION`` (``Application``): the fields below, plus
  gsi1pk/gsi1sk (mine), gsi2pk/gsi2sk (mine by status), gsi4pk/gsi4sk, gsi3pk/gsi3sk and gsi7pk/gsi7sk
  (the review queue of its county, city and province by status), gsi5pk/gsi5sk and gsi6pk/gsi6sk (the
  applicants of its position's unit and of its position, by status: ``/unit/applications``) and
  withdrawnGsi3pk/withdrawnGsi4pk/withdrawnGsi7pk/withdrawnGsi5sk/withdrawnGsi6sk (the keys a
  withdrawal copies, see ``keys``). Every status move rewrites gsi2pk, the queues' pks, gsi5sk and gsi6sk.
- history entry ``APPLICATION#<id>``/``HISTORY#<at>#<seq>`` (``HistoryEntry``).
- guard ``PERSON#<personId>``/``ACTIVE``: applicationId, while the person has a PENDING or
  APPROVED application (one active application per person).
- reference guard ``REFERENCE#<referenceNo>``/``REFERENCE``: applicationId (unique referenceNo).

Plain dataclasses, no pydantic and no AWS (cold start: the stream publisher reads statuses here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from internship import keys
from internship.items import TypedItem as _Item


class ApplicationStatus(StrEnum):
    """审核状态."""

    PENDING = "PENDING"  # 未审核
    APPROVED = "APPROVED"  # 审核通过
    REJECTED = "REJECTED"  # 审核不通过
    WITHDRAWN = "WITHDRAWN"  # 已撤回


# Sequence numbers of history entries: the submission is step 0, the one move out of PENDING step 1.
SUBMITTED_SEQ, FIRST_MOVE_SEQ = 0, 1
SUBMITTED = "SUBMITTED"  # the history action of a submission
APPLICANT_ACTOR = "applicant"  # who a citizen's own moves are recorded as


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
        withdrawn = self.status_keys(ApplicationStatus.WITHDRAWN)
        unit = {}
        if self.unit_credit_code:
            unit["gsi5pk"] = keys.unit_applications(self.unit_credit_code)
            unit["gsi6pk"] = keys.position_applications(self.unit_credit_code, self.position_id)
        return {
            **keys.application(self.application_id),
            **self.attributes(),
            "gsi1pk": keys.my_applications(self.person_id),
            "gsi1sk": self.listing,
            "gsi2sk": self.listing,
            **unit,
            **self.status_keys(self.status),
            **{f"withdrawnG{name[1:]}": withdrawn[name] for name in WITHDRAWN_COPIES},
        }

    def status_keys(self, status: str) -> dict[str, str]:
        """The index keys that name the status (``status_keys``)."""
        return status_keys(self.person_id, self.region_code, status, self.listing)


# The keys a withdrawal copies from the application, stored ready at submission (``keys``).
WITHDRAWN_COPIES = (*keys.QUEUE_PARTITIONS, "gsi5sk", "gsi6sk")


def status_keys(person_id: str, region_code: str, status: str, listing: str) -> dict[str, str]:
    """The index keys that name the status: mine by status (GSI2), the review queues (GSI4/GSI3/GSI7) and
    the applicants of its unit and position by status (the sort keys of GSI5/GSI6: without a unit,
    no ``gsi5pk``/``gsi6pk``, so they index nothing, and a withdrawal still finds them to copy)."""
    submitted_at, application_id = listing.rsplit("#", 1)
    applicants = keys.unit_applications_sk(status, submitted_at, application_id)
    return {
        "gsi2pk": keys.my_applications_by_status(person_id, status),
        **keys.queue_keys(region_code, status, listing),
        "gsi5sk": applicants,
        "gsi6sk": applicants,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry(_Item):
    application_id: str
    at: str
    seq: int = SUBMITTED_SEQ
    action: str
    actor: str
    status: str
    reason: str | None = None
    jurisdiction: str | None = None  # the decider's (属地)

    def item(self, expires_at: int | None = None) -> dict[str, Any]:
        """As stored (``expires_at``: the retention TTL, ``internship.retention``)."""
        key = {keys.PK: keys.application_partition(self.application_id), keys.SK: keys.history_sk(self.at, self.seq)}
        return {**key, **self.attributes(), keys.TTL: expires_at}


def submitted(application: Application) -> HistoryEntry:
    """The first history entry of an application: its submission."""
    return HistoryEntry(
        application_id=application.application_id,
        at=application.submitted_at,
        action=SUBMITTED,
        actor=APPLICANT_ACTOR,
        status=ApplicationStatus.PENDING,
    )


def active_guard(application: Application) -> dict[str, Any]:
    """The person's one-active-application guard, held while it is PENDING or APPROVED."""
    return {
        **keys.active_guard(application.person_id),
        "applicationId": application.application_id,
        "createdAt": application.submitted_at,
    }


def reference_guard(application: Application) -> dict[str, Any]:
    return {**keys.reference(application.reference_no), "applicationId": application.application_id}
