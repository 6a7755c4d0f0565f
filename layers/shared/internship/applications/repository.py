"""DynamoDB access for applications: the submit transaction, the status move, the reads (the review queue too).

The items and their shapes are ``items`` (the one place they are built). Races are settled by
DynamoDB conditions inside one ``TransactWriteItems``, never by reading first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from internship import cursors, errors, keys
from internship.applications.items import (
    FIRST_MOVE_SEQ,
    WITHDRAWN_COPIES,
    Application,
    ApplicationStatus,
    HistoryEntry,
    active_guard,
    reference_guard,
    status_keys,
)
from internship.drafts import repository as drafts
from internship.observability import logger
from internship.positions.models import PositionStatus
from internship.table import Page, Table
from internship.transactions import CONDITION_FAILED, Cancelled, Transaction

# The submit transaction names each attachment's element ``attachment:<id>``.
ATTACHMENT_ITEM = "attachment:"
# A withdrawal meeting a concurrent write on the application retries briefly (bounded), then says "busy".
WITHDRAW_ATTEMPTS = 4
WITHDRAW_BACKOFF_SECONDS = 0.05
BUSY_MESSAGE = "该申请正在办理中，请稍后再试"

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
    item = Table.main().get(keys.application(application_id), consistent=True)
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
    found, _ = Table.main().query(
        "#pk = :pk", {":pk": keys.application_partition(application_id)}, names={"#pk": keys.PK}, consistent=True
    )
    application = next((Application.of(item) for item in found if item.get(keys.SK) == "APPLICATION"), None)
    # Decisions recorded before the one status move wrote their entries without applicationId.
    entries = [{**item, "applicationId": application_id} for item in found if str(item[keys.SK]).startswith("HISTORY#")]
    history = [HistoryEntry.of(entry) for entry in entries]
    others = [item for item in found if not str(item[keys.SK]).startswith(("HISTORY#", "APPLICATION"))]
    return application, history, others


def list_scope(person_id: str, status: str | None, month: str | None) -> cursors.Scope:
    """No filter or month only: GSI1 (mine); status, with or without month: GSI2 (mine by status).
    A month is a prefix of the sort key (``submittedAt`` starts with ``YYYY-MM``)."""
    if status:
        return cursors.Scope("gsi2", keys.my_applications_by_status(person_id, status), "APPLICATION", month)
    return cursors.Scope("gsi1", keys.my_applications(person_id), "APPLICATION", month)


def page(scope: cursors.Scope, limit: int, cursor: str | None) -> tuple[list[Application], str | None]:
    """One Query, newest first, reading exactly the items it returns (no filter expression)."""
    found: Page = Table.main().page(scope, limit=limit, cursor=cursor, newest_first=True)
    return [Application.of(item) for item in found.items], found.next_cursor


def applicants_scope(credit_code: str, position_id: str | None, status: str | None) -> cursors.Scope:
    """The applicants of a unit's positions (GSI5), or of one of them (GSI6), in every status or one
    (its rank is a prefix of the sort key: ``keys``): one Query either way."""
    prefix = f"{keys.status_rank(status, application=True)}#" if status else None
    if position_id:
        return cursors.Scope("gsi6", keys.position_applications(credit_code, position_id), "APPLICATION", prefix)
    return cursors.Scope("gsi5", keys.unit_applications(credit_code), "APPLICATION", prefix)


def queue_scope(region: str, status: str, month: str | None) -> cursors.Scope:
    """The review queue (审核队列) of ``region`` (a prefix of 2, 4 or 6 digits: the province, a city,
    a county) in one status, optionally one month: ONE partition of that level (``keys.queue_keys``)."""
    return cursors.Scope.at_place(keys.CASES, keys.REVIEW, region, "APPLICATION", status=status, sort_prefix=month)


def queue_page(scope: cursors.Scope, limit: int, cursor: str | None) -> tuple[list[Application], str | None]:
    """A page of a review queue, oldest first: one Query reading only what it returns
    (``Table.oldest_first``)."""
    found = Table.main().oldest_first(scope, limit=limit, cursor=cursor)
    return [Application.of(item) for item in found.items], found.next_cursor


# --- submit ------------------------------------------------------------------------------------


def snapshot(attachment: dict[str, Any]) -> dict[str, Any]:
    """What the application keeps of an attachment, to answer the detail without reading it."""
    return {name: attachment.get(name) for name in SNAPSHOT_FIELDS}


class ReferenceTaken(Exception):
    """The random reference number exists already (rare): the caller draws another."""


def create(application: Application, history: HistoryEntry, today: str, reused_from: str | None) -> None:
    """Write the application in one transaction: the application, its first history entry, the
    active-application guard, the reference guard, the position still OPEN, each attachment bound
    to it (the applicant's, confirmed, and free or bound to the ``copyFrom``, withdrawn or
    rejected), and the person's form draft deleted (kept if the submission fails)."""
    table = Table.main()
    tx = Transaction()
    tx.add("application", table.put_new_element(application.item()))
    tx.add("history", table.put_new_element(history.item()))
    tx.add("guard", table.put_new_element(active_guard(application)))
    tx.add("reference", table.put_new_element(reference_guard(application)))
    tx.add("position", table.check_element(
        keys.position(application.position_id),
        "#status = :open AND #deadline >= :today",
        names={"#status": "status", "#deadline": "deadline"},
        values={":open": PositionStatus.OPEN.value, ":today": today},
    ))  # fmt: skip
    free = "attribute_not_exists(#app)" + (" OR #app = :reused" if reused_from else "")
    values = {":app": application.application_id, ":me": application.person_id, ":uploaded": "UPLOADED"}
    for attachment_id in application.attachment_ids:
        tx.add(f"{ATTACHMENT_ITEM}{attachment_id}", table.update_element(
            keys.attachment(attachment_id),
            "SET #app = :app",
            condition=f"#owner = :me AND #status = :uploaded AND ({free})",
            names={"#app": "applicationId", "#owner": "ownerId", "#status": "status"},
            values={**values, ":reused": reused_from} if reused_from else values,
        ))  # fmt: skip
    tx.add("draft", drafts.delete_element(application.person_id))
    try:
        tx.commit()
    except Cancelled as cancelled:
        _explain_submit_cancellation(cancelled)


def _explain_submit_cancellation(cancelled: Cancelled) -> NoReturn:
    """Decode a cancelled submission by item name (never by position in the transaction)."""
    if cancelled.throttled:
        raise errors.Throttled() from cancelled
    failed = cancelled.failed_names()
    # A concurrent transaction on the guard is another submission of this person in flight.
    if "guard" in failed:
        raise errors.ActiveApplicationExists() from cancelled
    if "position" in failed:
        raise errors.PositionClosed() from cancelled
    if any(name.startswith(ATTACHMENT_ITEM) for name in failed):
        raise errors.ValidationFailed.on("attachmentIds", "附件已变更或已用于其他申请，请刷新后重新提交") from cancelled
    if failed == {"reference"}:
        raise ReferenceTaken() from cancelled
    raise errors.Conflict() from cancelled


# --- status moves ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Move:
    """PENDING → ``status`` (WITHDRAWN by the applicant, APPROVED or REJECTED by a reviewer)."""

    application_id: str
    person_id: str
    status: ApplicationStatus
    at: str  # also the history entry's time
    actor: str  # the applicant, or the reviewer's IAM principal
    expires_at: int | None = None  # the retention TTL (``internship.retention``) of both items
    # A decision's (the reviewer read the application: its queue keys in the new status are
    # computed); a withdrawal reads nothing and copies the keys stored ready at submission.
    region_code: str | None = None
    listing: str | None = None
    jurisdiction: str | None = None  # the decider's (属地), recorded with the decision
    reason: str | None = None


def status_move(move: Move) -> Transaction:
    """The ONE transaction of a move out of PENDING, elements ``application`` (still PENDING and the
    person's; the new index keys), ``history`` (``FIRST_MOVE_SEQ``) and ``guard`` (released unless
    the move is an approval, only if it is this application's). The caller adds its own elements
    (an approval's ``position``, a decision's ``audit``) before committing."""
    table = Table.main()
    names = {"#status": "status"}
    values: dict[str, Any] = {":status": move.status, ":pending": ApplicationStatus.PENDING,
                              ":me": move.person_id, ":at": move.at}  # fmt: skip
    if move.region_code is None or move.listing is None:
        values[":gsi2pk"] = keys.my_applications_by_status(move.person_id, move.status)
        copied = ", ".join(f"{name} = withdrawnG{name[1:]}" for name in WITHDRAWN_COPIES)
        update = f"SET #status = :status, gsi2pk = :gsi2pk, {copied}"
    else:
        moved = status_keys(move.person_id, move.region_code, move.status, move.listing)
        values.update({f":{name}": value for name, value in moved.items()})
        update = "SET #status = :status, " + ", ".join(f"{name} = :{name}" for name in moved)
    update += ", updatedAt = :at"
    if move.jurisdiction is not None:
        update += ", decidedAt = :at, decidedBy = :by, decidedJurisdiction = :jurisdiction"
        values.update({":by": move.actor, ":jurisdiction": move.jurisdiction})
    if move.reason:
        update += ", reason = :reason"
        values[":reason"] = move.reason
    if move.expires_at is not None:
        update += ", #ttl = :ttl"
        names["#ttl"] = keys.TTL
        values[":ttl"] = move.expires_at
    entry = HistoryEntry(
        application_id=move.application_id,
        at=move.at,
        seq=FIRST_MOVE_SEQ,
        action=move.status,
        actor=move.actor,
        status=move.status,
        reason=move.reason,
        jurisdiction=move.jurisdiction,
    )
    tx = Transaction()
    tx.add("application", table.update_element(
        keys.application(move.application_id),
        update,
        condition="personId = :me AND #status = :pending",
        names=names,
        values=values,
        old_on_failure=True,
    ))  # fmt: skip
    tx.add("history", table.put_new_element(entry.item(move.expires_at)))
    if move.status is not ApplicationStatus.APPROVED:
        # Tolerate a missing guard; never release a guard that belongs to another application.
        tx.add("guard", table.delete_element(
            keys.active_guard(move.person_id),
            condition="attribute_not_exists(applicationId) OR applicationId = :id",
            values={":id": move.application_id},
        ))  # fmt: skip
    return tx


def withdraw(move: Move) -> None:
    """PENDING → WITHDRAWN (``status_move``), the person's own application only.

    A ``TransactionConflict`` means a decision (or another withdrawal) is writing this application
    at this very moment: the transaction is retried a few times with a short backoff, and if the
    application is still contended the answer is 503 "busy", never a false ``NOT_WITHDRAWABLE``
    (once the other write has committed, the retry sees its outcome and answers by it)."""
    for attempt in range(WITHDRAW_ATTEMPTS):
        try:
            status_move(move).commit()
            return
        except Cancelled as cancelled:
            if cancelled.throttled:
                raise errors.Throttled() from cancelled
            first = cancelled.reason("application")
            if first.code == CONDITION_FAILED:
                if not first.item or first.item.get("personId") != move.person_id:
                    raise errors.NotFound("未找到该申请") from cancelled
                raise errors.NotWithdrawable() from cancelled
            if not cancelled.conflicted:
                raise errors.Conflict() from cancelled
            if attempt < WITHDRAW_ATTEMPTS - 1:
                time.sleep(WITHDRAW_BACKOFF_SECONDS * 2**attempt * (0.5 + random.random()))  # noqa: S311 - jitter
    logger.warning("withdrawal still contended after retries", extra={"applicationId": move.application_id})
    raise errors.ServiceUnavailable(BUSY_MESSAGE)
