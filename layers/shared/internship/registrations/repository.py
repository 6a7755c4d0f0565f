"""DynamoDB access of registrations: the reads a submission and 资格自查 need, and the submission's
transaction. Everything else (the detail, the lists, the status move, the queue) is every case's
(``internship.cases.repository``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from internship import errors, keys
from internship.attachments.repository import binding_element
from internship.cases import repository as cases
from internship.cases.repository import ATTACHMENT_ITEM
from internship.registrations.items import KIND, Registration, guard, reference_guard, submitted
from internship.table import Table
from internship.transactions import Cancelled

PROFILE, APPLICATION_GUARD, REGISTRATION_GUARD = "PROFILE", "ACTIVE", "REGISTRATION"


@dataclass
class PersonReads:
    """What one BatchGetItem of a person's items found: the profile (its certificate too), the
    active-application guard, the registration in progress, and the attachments asked for."""

    profile: dict[str, Any] | None = None
    application: dict[str, Any] | None = None
    registration: dict[str, Any] | None = None
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_person(person_id: str, attachment_ids: Sequence[str] = ()) -> PersonReads:
    """The person's profile and guards, and ``attachment_ids``: ONE BatchGetItem (strongly consistent)."""
    wanted = [keys.person(person_id), keys.active_guard(person_id), keys.registration_guard(person_id)]
    wanted += [keys.attachment(a) for a in dict.fromkeys(attachment_ids)]
    reads = PersonReads()
    for item in Table.main().batch_get(wanted):
        sk = item.get(keys.SK)
        if sk == PROFILE:
            reads.profile = item
        elif sk == APPLICATION_GUARD:
            reads.application = item
        elif sk == REGISTRATION_GUARD:
            reads.registration = item
        elif sk == "ATTACHMENT":
            reads.attachments[str(item.get("attachmentId"))] = item
    return reads


def create(registration: Registration) -> None:
    """Write the registration in one transaction: the elements of every submission (the registration,
    its first history entry, the one-registration guard, the reference guard), the person holding
    no certificate yet (``profile``: the approval sets it, ``registrations.certificates``), and each
    attachment bound to it (the person's, confirmed, free)."""
    table = Table.main()
    tx = cases.submission(registration.item(), submitted(registration), guard(registration),
                          reference_guard(registration))  # fmt: skip
    tx.add("profile", table.check_element(
        keys.person(registration.person_id),
        "attribute_exists(#pk) AND attribute_not_exists(certificate)",
        names={"#pk": keys.PK},
    ))  # fmt: skip
    for attachment_id in registration.attachment_ids:
        element = binding_element(attachment_id, registration.registration_id, registration.person_id)
        tx.add(f"{ATTACHMENT_ITEM}{attachment_id}", element)
    try:
        tx.commit()
    except Cancelled as cancelled:
        if not cancelled.throttled and "guard" not in cancelled.failed_names() and cancelled.failed("profile"):
            raise errors.CertificateExists() from cancelled
        cases.explain_submission(KIND, cancelled)


def get(registration_id: str) -> Registration | None:
    item = cases.get(KIND, registration_id)
    return Registration.of(item) if item else None
