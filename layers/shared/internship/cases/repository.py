"""DynamoDB access every kind of case shares: the submission's common elements, the ONE status move out
of PENDING (withdrawal or decision), the detail's read, the person's lists and the review queues.

Each aggregate adds what is its own (an application's position and draft, a registration's
certificate) to the transactions built here, and decodes its own elements' cancellations first;
``explain_submission`` decodes the common ones. Races are settled by conditions inside one
``TransactWriteItems``, never by reading first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from internship import cursors, errors, keys
from internship.cases import TYPES, CaseKind, partition
from internship.cases import key as case_key
from internship.cases.items import FIRST_MOVE_SEQ, ApplicationStatus, HistoryEntry, status_keys, withdrawn_copies
from internship.observability import logger
from internship.table import Page, Table
from internship.transactions import CONDITION_FAILED, Cancelled, Transaction

# A withdrawal meeting a concurrent write on the case retries briefly (bounded), then says "busy".
WITHDRAW_ATTEMPTS = 4
WITHDRAW_BACKOFF_SECONDS = 0.05
# The submit transaction names each attachment's element ``attachment:<id>``.
ATTACHMENT_ITEM = "attachment:"
ACTIVE_EXISTS: dict[CaseKind, type[errors.Conflict]] = {
    CaseKind.APPLICATION: errors.ActiveApplicationExists,
    CaseKind.REGISTRATION: errors.ActiveRegistrationExists,
}


def busy_message(kind: CaseKind) -> str:
    return f"该{TYPES[kind].noun}正在办理中，请稍后再试"


# --- reads -------------------------------------------------------------------------------------


def get(kind: CaseKind, case_id: str) -> dict[str, Any] | None:
    """The case's item (strongly consistent), or ``None``."""
    return Table.main().get(case_key(kind, case_id), consistent=True)


def read_case(kind: CaseKind, case_id: str) -> tuple[dict[str, Any] | None, list[HistoryEntry], list[dict[str, Any]]]:
    """The case's item, its history entries (oldest first) and the other items of its partition (its
    ratings, ``internship.ratings``): one Query on its partition.

    Strongly consistent: the applicant (and the reviewer) must see the move they just made."""
    found, _ = Table.main().query(
        "#pk = :pk", {":pk": partition(kind, case_id)}, names={"#pk": keys.PK}, consistent=True
    )
    case = next((item for item in found if item.get(keys.SK) == kind.value), None)
    history = [HistoryEntry.of(kind, case_id, item) for item in found if str(item[keys.SK]).startswith("HISTORY#")]
    others = [item for item in found if not str(item[keys.SK]).startswith(("HISTORY#", kind.value))]
    return case, history, others


def list_scope(kind: CaseKind, person_id: str, status: str | None, month: str | None) -> cursors.Scope:
    """The person's cases of a kind: no filter or month only, GSI1 (mine); status, with or without
    month, GSI2 (mine by status). A month is a prefix of the sort key (``submittedAt`` starts with it)."""
    mine = TYPES[kind].mine
    if status:
        return cursors.Scope("gsi2", keys.my_cases_by_status(person_id, mine, status), kind.value, month)
    return cursors.Scope("gsi1", keys.my_cases(person_id, mine), kind.value, month)


def page(scope: cursors.Scope, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """One Query, newest first, reading exactly the items it returns (no filter expression)."""
    found: Page = Table.main().page(scope, limit=limit, cursor=cursor, newest_first=True)
    return found.items, found.next_cursor


def queue_scope(kind: CaseKind, region: str, status: str, month: str | None) -> cursors.Scope:
    """The review queue (审核队列) of ``region`` (a prefix of 2, 4 or 6 digits: the province, a city,
    a county) in one status, optionally one month: ONE partition of that level
    (``keys.review_queue_keys``)."""
    return cursors.Scope.at_place(keys.CASES, TYPES[kind].queue, region, kind.value, status=status, sort_prefix=month)


def queue_page(scope: cursors.Scope, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a review queue, oldest first: one Query reading only what it returns
    (``Table.oldest_first``)."""
    found = Table.main().oldest_first(scope, limit=limit, cursor=cursor)
    return found.items, found.next_cursor


# --- submit ------------------------------------------------------------------------------------


class ReferenceTaken(Exception):
    """The random reference number exists already (rare): the caller draws another."""


def submission(case: Mapping[str, Any], history: HistoryEntry, guard: Mapping[str, Any],
               reference: Mapping[str, Any]) -> Transaction:  # fmt: skip
    """The elements every submission writes, in this order (fault tests name reasons by position):
    ``case`` and its first ``history`` entry (new), the person's one-active ``guard`` (new: a second
    active case of the kind, or a racing submission, cancels) and the ``reference`` guard (new). The
    aggregate adds its own elements, then commits."""
    table = Table.main()
    tx = Transaction()
    tx.add("case", table.put_new_element(case))
    tx.add("history", table.put_new_element(history.item()))
    tx.add("guard", table.put_new_element(guard))
    tx.add("reference", table.put_new_element(reference))
    return tx


def explain_submission(kind: CaseKind, cancelled: Cancelled) -> NoReturn:
    """Decode the common elements of a cancelled submission (by name, never by position); the
    aggregate has decoded its own first."""
    if cancelled.throttled:
        raise errors.Throttled() from cancelled
    failed = cancelled.failed_names()
    # A concurrent transaction on the guard is another submission of this person in flight.
    if "guard" in failed:
        raise ACTIVE_EXISTS[kind]() from cancelled
    if any(name.startswith(ATTACHMENT_ITEM) for name in failed):
        message = f"附件已变更或已用于其他{TYPES[kind].noun}，请刷新后重新提交"
        raise errors.ValidationFailed.on("attachmentIds", message) from cancelled
    if failed == {"reference"}:
        raise ReferenceTaken() from cancelled
    raise errors.Conflict() from cancelled


# --- status moves ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Move:
    """PENDING → ``status`` of a case (WITHDRAWN by the applicant, APPROVED or REJECTED by a reviewer)."""

    kind: CaseKind = CaseKind.APPLICATION
    case_id: str
    person_id: str
    status: ApplicationStatus
    at: str  # also the history entry's time
    actor: str  # the applicant, or the reviewer's IAM principal
    expires_at: int | None = None  # the retention TTL (``internship.retention``) of both items
    # A decision's (the reviewer read the case: its queue keys in the new status are computed); a
    # withdrawal reads nothing and copies the keys stored ready at submission.
    region_code: str | None = None
    listing: str | None = None
    jurisdiction: str | None = None  # the decider's (属地), recorded with the decision
    reason: str | None = None
    changes: Mapping[str, Any] | None = None  # more attributes the move sets (a registration's certificate)


def status_move(move: Move) -> Transaction:
    """The ONE transaction of a move out of PENDING, elements ``case`` (still PENDING and the person's;
    the new index keys), ``history`` (``FIRST_MOVE_SEQ``) and ``guard``: released unless the move is
    an approval of a kind that keeps it (then it names the new status), only if it is this case's.
    The caller adds its own elements (an approval's ``position`` or certificate, a decision's
    ``audit``) before committing."""
    table = Table.main()
    kind_type = TYPES[move.kind]
    names = {"#status": "status"}
    values: dict[str, Any] = {":status": move.status, ":pending": ApplicationStatus.PENDING,
                              ":me": move.person_id, ":at": move.at}  # fmt: skip
    if move.region_code is None or move.listing is None:
        values[":gsi2pk"] = keys.my_cases_by_status(move.person_id, kind_type.mine, move.status)
        copied = ", ".join(f"{name} = withdrawnG{name[1:]}" for name in withdrawn_copies(move.kind))
        update = f"SET #status = :status, gsi2pk = :gsi2pk, {copied}"
    else:
        moved = status_keys(move.kind, move.person_id, move.region_code, move.status, move.listing)
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
    for number, (name, value) in enumerate((move.changes or {}).items()):
        update += f", #c{number} = :c{number}"
        names[f"#c{number}"], values[f":c{number}"] = name, value
    entry = HistoryEntry(
        kind=move.kind,
        case_id=move.case_id,
        at=move.at,
        seq=FIRST_MOVE_SEQ,
        action=move.status,
        actor=move.actor,
        status=move.status,
        reason=move.reason,
        jurisdiction=move.jurisdiction,
    )
    tx = Transaction()
    tx.add("case", table.update_element(
        case_key(move.kind, move.case_id),
        update,
        condition="personId = :me AND #status = :pending",
        names=names,
        values=values,
        old_on_failure=True,
    ))  # fmt: skip
    tx.add("history", table.put_new_element(entry.item(move.expires_at)))
    guard = keys.case_guard(move.person_id, kind_type.guard)
    mine = {"#case": kind_type.id_field}
    if move.status is ApplicationStatus.APPROVED and kind_type.kept_when_approved:
        # The guard stays, naming the new status (written whole if a guard from before is missing).
        tx.add("guard", table.update_element(
            guard,
            "SET #case = :id, #status = :status",
            condition="attribute_not_exists(#case) OR #case = :id",
            names={**mine, "#status": "status"},
            values={":id": move.case_id, ":status": move.status},
        ))  # fmt: skip
    else:
        # Tolerate a missing guard; never release a guard that belongs to another case.
        tx.add("guard", table.delete_element(
            guard, condition="attribute_not_exists(#case) OR #case = :id", names=mine, values={":id": move.case_id}
        ))  # fmt: skip
    return tx


def withdraw(move: Move) -> None:
    """PENDING → WITHDRAWN (``status_move``), the person's own case only.

    A ``TransactionConflict`` means a decision (or another withdrawal) is writing this case at this
    very moment: the transaction is retried a few times with a short backoff, and if the case is
    still contended the answer is 503 "busy", never a false ``NOT_WITHDRAWABLE`` (once the other
    write has committed, the retry sees its outcome and answers by it)."""
    kind_type = TYPES[move.kind]
    for attempt in range(WITHDRAW_ATTEMPTS):
        try:
            status_move(move).commit()
            return
        except Cancelled as cancelled:
            if cancelled.throttled:
                raise errors.Throttled() from cancelled
            first = cancelled.reason("case")
            if first.code == CONDITION_FAILED:
                if not first.item or first.item.get("personId") != move.person_id:
                    raise errors.NotFound(kind_type.not_found) from cancelled
                raise errors.NotWithdrawable(f"只有未审核的{kind_type.noun}可以撤回") from cancelled
            if not cancelled.conflicted:
                raise errors.Conflict() from cancelled
            if attempt < WITHDRAW_ATTEMPTS - 1:
                time.sleep(WITHDRAW_BACKOFF_SECONDS * 2**attempt * (0.5 + random.random()))  # noqa: S311 - jitter
    logger.warning("withdrawal still contended after retries", extra={kind_type.id_field: move.case_id})
    raise errors.ServiceUnavailable(busy_message(move.kind))


def explain_decision(kind: CaseKind, cancelled: Cancelled) -> None:
    """Decode the common elements of a cancelled decision: the case gone (404) or no longer PENDING
    (409 ``NOT_PENDING``); throttled (429). Returns when they did not fail (the aggregate's own did)."""
    if cancelled.throttled:
        raise errors.Throttled() from cancelled
    case = cancelled.reason("case")
    if case.code == CONDITION_FAILED:
        if not case.item:
            raise errors.NotFound(TYPES[kind].not_found) from cancelled
        raise errors.NotPending(f"该{TYPES[kind].noun}已不是未审核状态") from cancelled
