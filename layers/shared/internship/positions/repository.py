"""Positions in the application table: reads, conditional writes and the transactions of their review.

The items and their index keys are ``items`` (the one place they are built: a write sets the keys of
the position's new status and removes the others). Every catalogue read is one Query on the sparse
catalogue partition of a place (the province, a city or a county: ``catalogue_scope``) from today's
deadline on, never a Scan; a unit's positions are one Query on its GSI11 partition; the positions'
review queue of a place is one Query (``Table.oldest_first``), like the applications'.

``filled`` is changed only by approvals, through ``approval_increment`` inside the review
transaction; editors' writes are conditional on the ``version`` they read (optimistic locking) and
never write ``filled``. Approvals do not bump ``version``: an editor's form never carries
``filled``, so an approval in between is no conflict, while the ``filled <= headcount`` condition
still protects the places taken.

A host unit's change to an OPEN position is a ``RevisionItem`` written in one transaction with the
position's new version and its ``revision`` summary (``revise``): two changes racing on one version
make one. The bureau's decision on it is one transaction too (``decide``): approved, the position
takes the revision's text and the revision is marked APPROVED; rejected, both say so. Each decision
carries its audit record in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from internship import cursors, errors, keys, regions
from internship.positions.items import (
    APPROVED,
    INDEX_KEYS,
    REVISION,
    REVISION_KEEP_SECONDS,
    PositionItem,
    PositionStatus,
    RevisionItem,
    catalogue_keys,
    new_item,
)
from internship.table import ConditionFailed, Table
from internship.transactions import CONDITION_FAILED, Cancelled, Transaction

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

__all__ = ["INDEX_KEYS", "PositionItem", "RevisionItem", "catalogue_keys", "new_item"]

NOT_FOUND = "未找到该见习岗位"
CHANGED = "该岗位信息已被他人修改，请刷新后重试"
# Keyword searches read on until a page is full; past this many reads in one request the page is
# answered short, with a cursor to go on (bounds the latency of a rare keyword on a huge catalogue).
MAX_READS = 10
# Chunk read per round once a filter has dropped something (keeps round trips low for keyword searches).
FOLLOW_UP_CHUNK = 100
_NOT_WRITTEN = frozenset({keys.PK, keys.SK, "filled", "positionId", "createdAt"})  # never rewritten


def _of(item: Mapping[str, Any] | None) -> PositionItem | None:
    return PositionItem.of(item) if item else None


# --- reads --------------------------------------------------------------------------------------


def get(position_id: str) -> PositionItem | None:
    """One position by id, whatever its status; ``None`` if unknown. One GetItem."""
    return _of(Table.main().get(keys.position(position_id)))


def get_with_revision(position_id: str) -> tuple[PositionItem | None, RevisionItem | None]:
    """The position and its unit's change awaiting or failing review, if any: one Query on its
    partition (strongly consistent: an editor sees what they just wrote)."""
    found, _ = Table.main().query(
        "#pk = :pk", {":pk": keys.position(position_id)[keys.PK]}, names={"#pk": keys.PK}, consistent=True
    )
    position = next((PositionItem.of(item) for item in found if item.get(keys.SK) == "POSITION"), None)
    revision = next((RevisionItem.of(item) for item in found if item.get(keys.SK) == REVISION), None)
    if revision is not None and revision.status == APPROVED:
        revision = None  # already the position's text
    return position, revision


def unit_page(
    credit_code: str, status: PositionStatus | None, limit: int, cursor: str | None
) -> tuple[list[PositionItem], str | None]:
    """A unit's own positions (every status, or one), newest first by status: one Query on its GSI11
    partition reading exactly what it returns (the status is a prefix of the sort key, ``keys``)."""
    prefix = f"{keys.status_rank(status)}#" if status else None
    scope = cursors.Scope(keys.OWNER, keys.unit_positions(credit_code), "POSITION", prefix)
    page = Table.main().page(scope, limit=limit, cursor=cursor, newest_first=True)
    return [PositionItem.of(item) for item in page.items], page.next_cursor


def review_scope(region_prefix: str, status: PositionStatus) -> cursors.Scope:
    """The positions' review queue of a place (the province, a city or a county: one partition of
    its level, ``keys.by_place``): new positions and changes to published ones alike."""
    return cursors.Scope.at_place(
        keys.WHOLE, keys.POSITION_REVIEW, region_prefix, "POSITION", status=status, also=(REVISION,)
    )


def review_page(
    scope: cursors.Scope, limit: int, cursor: str | None
) -> tuple[list[PositionItem | RevisionItem], str | None]:
    """A page of the positions' review queue, oldest submitted first, reading only what it returns."""
    page = Table.main().oldest_first(scope, limit=limit, cursor=cursor)
    found = [RevisionItem.of(i) if i[keys.SK] == REVISION else PositionItem.of(i) for i in page.items]
    return found, page.next_cursor


def catalogue_scope(region_prefix: str | None) -> cursors.Scope:
    """The catalogue partition of the province (no prefix, or its 2 digits: every position of the
    catalogue is in the deployment's province), a city (4) or a county (6)."""
    return cursors.Scope.at_place(keys.WHOLE, keys.CATALOGUE, region_prefix or regions.province(), "POSITION")


def list_open(
    *, today: str, limit: int, region_code: str | None = None, keyword: str | None = None, cursor: str | None = None
) -> tuple[list[PositionItem], str | None]:
    """Open positions whose deadline is ``today`` or later, soonest deadline first; ``(items, nextCursor)``.

    ONE Query on the catalogue partition of ``region_code`` (a prefix: ``catalogue_scope``) from
    ``today`` on: the key condition leaves out every position whose deadline has passed, unread, so
    the page reads exactly what it answers. A keyword (contains, on title, unit name and major
    requirement) is a filter expression, which DynamoDB applies after ``Limit``: one Query may then
    answer fewer than ``limit`` items while more remain, so a keyword search queries on from the
    LastEvaluatedKey until ``limit`` items are collected, the range is exhausted or ``MAX_READS``
    rounds were read. The first Query asks for exactly ``limit``; follow-ups read larger chunks and
    the cursor then points after the last item returned, not after the last item read, so nothing is
    skipped.
    """
    scope = catalogue_scope(region_code)
    if not keyword:
        page = Table.main().page(scope, limit=limit, cursor=cursor, since=today)
        return [PositionItem.of(item) for item in page.items], page.next_cursor
    partition_name, sort_name = scope.key_names
    start = scope.decode(cursor) if cursor else None
    if start and start[sort_name] < today:
        start = None  # the cursor's deadline has passed since: the range from today on is what follows it
    values: dict[str, Any] = {":partition": scope.partition, ":today": today, ":kw": keyword}
    found: list[dict[str, Any]] = []
    next_key: Mapping[str, Any] | None = None
    chunk = limit
    for _ in range(MAX_READS):
        read, last = Table.main().query(
            f"{partition_name} = :partition AND {sort_name} >= :today",
            values,
            index=scope.index,
            filter="contains(title, :kw) OR contains(unitName, :kw) OR contains(majorRequirement, :kw)",
            limit=chunk,
            start=start,
        )
        wanted = limit - len(found)
        if len(read) > wanted:
            # Read past the page's end: go on after the last item answered.
            found.extend(read[:wanted])
            next_key = read[wanted - 1]
            break
        found.extend(read)
        next_key = last
        if not last or len(found) == limit:
            break
        start = last
        chunk = max(limit - len(found), FOLLOW_UP_CHUNK)
    return [PositionItem.of(item) for item in found], scope.encode(next_key)


# --- writes -------------------------------------------------------------------------------------


def put_new(position: PositionItem) -> None:
    """Store a new position (its id is fresh; the condition guards against a uuid collision)."""
    try:
        Table.main().put(position.item(), condition="attribute_not_exists(pk)")
    except ConditionFailed as failed:
        raise errors.Conflict() from failed


class _Rewrite:
    """The UpdateItem of a position's new state: every stored attribute of ``after`` set (but
    ``filled``, which only approvals change), the index keys and bookkeeping it no longer has
    removed, on ``condition``. Alone (``write``) or as a transaction element (``element``)."""

    def __init__(
        self,
        after: PositionItem,
        condition: str,
        values: Mapping[str, Any],
        names: Mapping[str, str] | None = None,
    ) -> None:
        stored = {name: value for name, value in after.item().items() if name not in _NOT_WRITTEN}
        gone = [name for name in (*INDEX_KEYS, *after.bookkeeping()) if name not in stored]
        self.names = {**(names or {}), **{f"#f{i}": name for i, name in enumerate([*stored, *gone])}}
        self.values = {**{f":v{i}": value for i, value in enumerate(stored.values())}, **values}
        sets = ", ".join(f"#f{i} = :v{i}" for i in range(len(stored)))
        removes = ", ".join(f"#f{i}" for i in range(len(stored), len(stored) + len(gone)))
        self.update = f"SET {sets}" + (f" REMOVE {removes}" if removes else "")
        self.condition = condition
        self.key = keys.position(after.position_id)

    def write(self) -> PositionItem:
        """Apply it; the position as stored now (``ConditionFailed`` carries the stored one)."""
        found = Table.main().update(
            self.key, self.update, condition=self.condition, names=self.names, values=self.values
        )
        return PositionItem.of(found)

    def element(self) -> dict[str, Any]:
        return Table.main().update_element(
            self.key, self.update, condition=self.condition, names=self.names, values=self.values, old_on_failure=True
        )


_SAME_VERSION = "attribute_exists(pk) AND version = :read AND filled <= :headcount"


def _explain(position_id: str, version: int, stored: Mapping[str, Any] | None) -> errors.AppError:
    """Why a conditional write of a position failed: gone (404), changed meanwhile (409), or the
    places already taken above the new headcount (422)."""
    old = _of(stored) or get(position_id)
    if old is None:
        return errors.NotFound(NOT_FOUND)
    if old.version != version:
        return errors.Conflict(CHANGED)
    return errors.ValidationFailed.on("headcount", f"招募人数不能少于已录用人数（{old.filled}人）")


def update(
    current: PositionItem,
    fields: Mapping[str, Any],
    *,
    version: int,
    updated_at: str,
    updated_by: str | None,
    jurisdiction: str | None = None,
) -> PositionItem:
    """Replace the editable fields, conditional on ``version`` and on ``filled <= headcount``
    (the bureau's own edit: the status stays). ``current`` is the position read before (closing
    bumps the version, so the version condition also guarantees its status is unchanged); its
    index keys follow (the region may have changed). Failures: unknown id → 404, version moved on →
    409 ``CONFLICT``, headcount below the places already taken → 422."""
    after = replace(
        current,
        fields=dict(fields),
        version=version + 1,
        updated_at=updated_at,
        updated_by=updated_by or current.updated_by,
        updated_jurisdiction=jurisdiction or current.updated_jurisdiction,
    )
    try:
        return _Rewrite(after, _SAME_VERSION, {":read": version, ":headcount": fields["headcount"]}).write()
    except ConditionFailed as failed:
        raise _explain(current.position_id, version, failed.item) from failed


def resubmit(current: PositionItem, fields: Mapping[str, Any], *, version: int, at: str, by: str) -> PositionItem:
    """A host unit's edit of its position that is not yet published (PENDING_REVIEW or REJECTED):
    the new text, sent for review again (PENDING_REVIEW, the rejection's reason gone)."""
    after = replace(
        current,
        fields=dict(fields),
        status=PositionStatus.PENDING_REVIEW,
        version=version + 1,
        updated_at=at,
        updated_by=by,
        submitted_at=at,
        reason=None,
    )
    values = {":read": version, ":headcount": fields["headcount"], **_UNPUBLISHED}
    try:
        return _Rewrite(after, f"{_SAME_VERSION} AND {_IS_UNPUBLISHED}", values, _STATUS).write()
    except ConditionFailed as failed:
        raise _explain(current.position_id, version, failed.item) from failed


_STATUS = {"#status": "status"}
_UNPUBLISHED = {":pending": PositionStatus.PENDING_REVIEW.value, ":rejected": PositionStatus.REJECTED.value}
_IS_UNPUBLISHED = "#status IN (:pending, :rejected)"


def revise(current: PositionItem, revision: RevisionItem, *, version: int) -> PositionItem:
    """A host unit's change to its OPEN position: the revision stored (replacing an earlier one) and
    the position's new version and ``revision`` summary, in one transaction conditioned on the
    version read, the position still OPEN and the new headcount not below the places taken. The
    catalogue keeps the position's text until the bureau approves the change."""
    after = replace(current, version=version + 1, revision=revision.summary())
    values = {":read": version, ":headcount": revision.fields["headcount"], ":open": PositionStatus.OPEN.value}
    position = _Rewrite(after, f"{_SAME_VERSION} AND #status = :open", values, _STATUS)
    tx = Transaction()
    tx.add("position", position.element())
    tx.add("revision", Table.main().put_element(revision.item()))
    _commit(tx, current.position_id, version)
    return after


def close(
    current: PositionItem,
    *,
    updated_at: str,
    updated_by: str | None,
    jurisdiction: str | None = None,
    revision: RevisionItem | None = None,
) -> PositionItem:
    """Close a position (whatever its status but CLOSED): it leaves the catalogue and the review
    queues; a unit's change awaiting review goes with it. Conditional on the version read, so a
    change racing it is a 409, never lost under a CLOSED label."""
    after = replace(
        current,
        status=PositionStatus.CLOSED,
        version=current.version + 1,
        updated_at=updated_at,
        updated_by=updated_by or current.updated_by,
        updated_jurisdiction=jurisdiction or current.updated_jurisdiction,
        revision=None,
    )
    condition = "attribute_exists(pk) AND version = :read AND #status <> :closed"
    rewrite = _Rewrite(after, condition, {":read": current.version, ":closed": "CLOSED"}, _STATUS)
    if revision is None:
        try:
            return rewrite.write()
        except ConditionFailed as failed:
            raise _explain(current.position_id, current.version, failed.item) from failed
    tx = Transaction()
    tx.add("position", rewrite.element())
    tx.add(
        "revision",
        Table.main().delete_element({keys.PK: keys.position(current.position_id)[keys.PK], keys.SK: REVISION}),
    )
    _commit(tx, current.position_id, current.version)
    return after


def decide(
    current: PositionItem,
    revision: RevisionItem | None,
    *,
    approved: bool,
    reason: str | None,
    at: str,
    by: str,
    jurisdiction: str,
    audit: TransactWriteItemTypeDef,
    now: int,
) -> PositionItem:
    """The bureau's decision on what a unit published (审核), in one transaction with its audit
    record: on a PENDING_REVIEW position (``revision`` None) it is published (OPEN, in the
    catalogue from now) or REJECTED with the reason; on a change to an OPEN position, approved, the
    change's text replaces the position's in one step, rejected, the change keeps the reason. The
    position's version and the change's submission time read before are conditions: what was
    decided is what the reviewer saw."""
    tx = Transaction()
    if revision is None:
        after = replace(
            current,
            status=PositionStatus.OPEN if approved else PositionStatus.REJECTED,
            version=current.version + 1,
            reason=None if approved else reason,
            published_at=at if approved else current.published_at,
            decided_at=at,
            decided_by=by,
            decided_jurisdiction=jurisdiction,
        )
        values = {":read": current.version, ":pending": PositionStatus.PENDING_REVIEW.value}
        condition = "attribute_exists(pk) AND version = :read AND #status = :pending"
        tx.add("position", _Rewrite(after, condition, values, _STATUS).element())
    else:
        outcome = replace(
            revision,
            status=APPROVED if approved else PositionStatus.REJECTED.value,
            reason=None if approved else reason,
            ttl=now + REVISION_KEEP_SECONDS if approved else None,
            decided_at=at,
            decided_by=by,
            decided_jurisdiction=jurisdiction,
        )
        values = {":open": PositionStatus.OPEN.value}
        condition = "attribute_exists(pk) AND #status = :open"
        if approved:  # the change's text replaces the published one, in this one step
            after = replace(
                current,
                fields=dict(revision.fields),
                version=current.version + 1,
                updated_at=at,
                updated_by=revision.submitted_by,
                revision=None,
                decided_at=at,
                decided_by=by,
                decided_jurisdiction=jurisdiction,
            )
            values[":headcount"] = revision.fields["headcount"]
            condition += " AND filled <= :headcount"
        else:
            after = replace(current, version=current.version + 1, revision=outcome.summary())
        tx.add("position", _Rewrite(after, condition, values, _STATUS).element())
        tx.add("revision", Table.main().put_element(
            outcome.item(),
            condition="#status = :pending AND submittedAt = :submitted",
            names=_STATUS,
            values={":pending": PositionStatus.PENDING_REVIEW.value, ":submitted": revision.submitted_at},
        ))  # fmt: skip
    tx.add("audit", audit)
    _commit(tx, current.position_id, current.version, deciding=True)
    return after


def _commit(tx: Transaction, position_id: str, version: int, *, deciding: bool = False) -> None:
    """Commit a position's transaction; a cancellation is the contract's answer (decoded by name)."""
    try:
        tx.commit()
    except Cancelled as cancelled:
        if cancelled.throttled:
            raise errors.Throttled() from cancelled
        position = cancelled.reason("position")
        if position.code == CONDITION_FAILED and not deciding:
            raise _explain(position_id, version, position.item) from cancelled
        if cancelled.condition_failed("position") or cancelled.condition_failed("revision"):
            stored = _of(position.item)
            if stored is None and position.code == CONDITION_FAILED:
                raise errors.NotFound(NOT_FOUND) from cancelled
            if stored is not None and stored.status is PositionStatus.OPEN and cancelled.condition_failed("position"):
                filled = stored.filled
                raise errors.Conflict(f"招募人数少于已录用人数（{filled}人），不能通过此修改") from cancelled
            raise errors.NotPending(POSITION_NOT_PENDING) from cancelled
        # Another write touched these items at the same moment (two edits racing): one wins.
        raise errors.Conflict(CHANGED) from cancelled


POSITION_NOT_PENDING = "该岗位已不是待审核状态，或已被单位修改，请刷新后重试"


def approval_increment(position_id: str) -> dict[str, Any]:
    """The transaction element that takes one place of a position on approval.

    For the review transaction: ``ADD filled 1`` on condition that the position exists, is OPEN and
    ``filled < headcount``, in the same transaction as the application's status move, so either
    both happen or neither. When it is the cancelled element, its reason's ``item`` tells why:
    absent or ``status`` CLOSED → ``errors.PositionClosed``, otherwise full → ``errors.PositionFull``.
    ``version`` is not bumped (see the module docstring). The deadline is not checked: an
    application submitted in time may be approved after it.
    """
    return Table.main().update_element(
        keys.position(position_id),
        "ADD filled :one",
        condition="attribute_exists(pk) AND #status = :open AND filled < headcount",
        names={"#status": "status"},
        values={":one": 1, ":open": PositionStatus.OPEN.value},
        old_on_failure=True,
    )
