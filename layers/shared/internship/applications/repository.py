"""DynamoDB access for applications: the submit transaction and the reads (the review queue too),
over the machinery every case shares (``internship.cases.repository``: the status move, the lists).

The items and their shapes are ``items`` (the one place they are built). Races are settled by
DynamoDB conditions inside one ``TransactWriteItems``, never by reading first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from internship import cursors, errors, keys
from internship.applications.items import KIND, Application, HistoryEntry, active_guard, reference_guard
from internship.attachments.repository import binding_element
from internship.cases import repository as cases
from internship.cases.repository import ATTACHMENT_ITEM, Move, ReferenceTaken, status_move
from internship.drafts import repository as drafts
from internship.positions.models import PositionStatus
from internship.table import Table
from internship.transactions import Cancelled

__all__ = ["ATTACHMENT_ITEM", "Move", "ReferenceTaken", "status_move"]

PUBLISHED = frozenset({PositionStatus.OPEN, PositionStatus.CLOSED})
# ``confirmedAt``: the upload date the printed form shows (snapshots taken before it was kept lack it).
SNAPSHOT_FIELDS = ("attachmentId", "kind", "fileName", "contentType", "size", "s3Key", "status", "confirmedAt")


# --- reads -------------------------------------------------------------------------------------


@dataclass
class SubmitReads:
    """Everything a submission needs, read in one BatchGetItem."""

    profile: dict[str, Any] | None = None
    position: dict[str, Any] | None = None
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)
    copy_from: Application | None = None
    # The person's one-active-application guard, if any: a second submission fails early and
    # clearly (the transaction still decides races).
    active: dict[str, Any] | None = None


def read_for_submit(
    person_id: str, position_id: str | None, attachment_ids: Sequence[str], copy_from: str | None
) -> SubmitReads:
    """Profile, guard, position, attachments and the withdrawn or rejected application to copy from: one round
    trip (``Table.batch_get``: unprocessed keys, returned only under throttling, are read again).
    ``None``: not read."""
    wanted = [keys.person(person_id), keys.active_guard(person_id)]
    if position_id:
        wanted.append(keys.position(position_id))
    wanted += [keys.attachment(a) for a in dict.fromkeys(attachment_ids)]
    if copy_from:
        wanted.append(keys.application(copy_from))
    reads = SubmitReads()
    for item in Table.main().batch_get(wanted):
        sk = item.get(keys.SK)
        if sk == "PROFILE":
            reads.profile = item
        elif sk == "ACTIVE":
            reads.active = item
        elif sk == "POSITION" and item.get("status") in PUBLISHED:
            reads.position = item  # one awaiting review or rejected is no position for a citizen
        elif sk == "ATTACHMENT":
            reads.attachments[str(item.get("attachmentId"))] = item
        elif sk == "APPLICATION":
            reads.copy_from = Application.of(item)
    return reads


def get(application_id: str) -> Application | None:
    """The application (strongly consistent), or ``None``."""
    item = cases.get(KIND, application_id)
    return Application.of(item) if item else None


def by_reference(reference_no: str) -> Application | None:
    """The application of a reference number (业务流水号): its guard names it (two GetItems, strongly
    consistent: a printed form checked right after a decision shows the decision)."""
    table = Table.main()
    guard = table.get(keys.reference(reference_no), consistent=True)
    if not guard or not guard.get("applicationId"):
        return None
    item = table.get(keys.application(str(guard["applicationId"])), consistent=True)
    return Application.of(item) if item else None


def read_with_history(application_id: str) -> tuple[Application | None, list[HistoryEntry]]:
    """The application and its history entries, oldest first: one Query on its partition.

    Strongly consistent: the applicant (and the reviewer) must see the move they just made."""
    application, history, _ = read_case(application_id)
    return application, history


def read_case(application_id: str) -> tuple[Application | None, list[HistoryEntry], list[dict[str, Any]]]:
    """``read_with_history`` and the other items of the partition (its ratings, ``internship.ratings``)."""
    item, history, others = cases.read_case(KIND, application_id)
    return (Application.of(item) if item else None), history, others


def list_scope(person_id: str, status: str | None, month: str | None) -> cursors.Scope:
    return cases.list_scope(KIND, person_id, status, month)


def page(scope: cursors.Scope, limit: int, cursor: str | None) -> tuple[list[Application], str | None]:
    """One Query, newest first, reading exactly the items it returns (no filter expression)."""
    items, next_cursor = cases.page(scope, limit, cursor)
    return [Application.of(item) for item in items], next_cursor


def applicants_scope(credit_code: str, position_id: str | None, status: str | None) -> cursors.Scope:
    """The applicants of a unit's positions (GSI5), or of one of them (GSI6), in every status or one
    (its rank is a prefix of the sort key: ``keys``): one Query either way."""
    prefix = f"{keys.status_rank(status, application=True)}#" if status else None
    if position_id:
        return cursors.Scope("gsi6", keys.position_applications(credit_code, position_id), "APPLICATION", prefix)
    return cursors.Scope("gsi5", keys.unit_applications(credit_code), "APPLICATION", prefix)


def queue_scope(region: str, status: str, month: str | None) -> cursors.Scope:
    return cases.queue_scope(KIND, region, status, month)


def queue_page(scope: cursors.Scope, limit: int, cursor: str | None) -> tuple[list[Application], str | None]:
    items, next_cursor = cases.queue_page(scope, limit, cursor)
    return [Application.of(item) for item in items], next_cursor


# --- submit ------------------------------------------------------------------------------------


def snapshot(attachment: dict[str, Any]) -> dict[str, Any]:
    """What the application keeps of an attachment, to answer the detail without reading it."""
    return {name: attachment.get(name) for name in SNAPSHOT_FIELDS}


def create(application: Application, history: HistoryEntry, today: str, reused_from: str | None) -> None:
    """Write the application in one transaction: the elements of every submission (the application,
    its first history entry, the active-application guard, the reference guard), the position still
    OPEN, each attachment bound to it (the applicant's, confirmed, and free or bound to the
    ``copyFrom``, withdrawn or rejected), and the person's form draft deleted (kept if the
    submission fails)."""
    table = Table.main()
    tx = cases.submission(application.item(), history, active_guard(application), reference_guard(application))
    tx.add("position", table.check_element(
        keys.position(application.position_id),
        "#status = :open AND #deadline >= :today",
        names={"#status": "status", "#deadline": "deadline"},
        values={":open": PositionStatus.OPEN.value, ":today": today},
    ))  # fmt: skip
    for attachment_id in application.attachment_ids:
        element = binding_element(attachment_id, application.application_id, application.person_id, reused_from)
        tx.add(f"{ATTACHMENT_ITEM}{attachment_id}", element)
    tx.add("draft", drafts.delete_element(application.person_id))
    try:
        tx.commit()
    except Cancelled as cancelled:
        if not cancelled.throttled and "guard" not in cancelled.failed_names() and cancelled.failed("position"):
            raise errors.PositionClosed() from cancelled
        cases.explain_submission(KIND, cancelled)
