"""Positions in the application table: the stored item, its index keys and conditional writes.

Item ``POSITION#<positionId>`` / ``POSITION`` (see ``internship.keys``). While a position is OPEN it
carries ``gsi1pk``/``gsi1sk`` (all open positions, newest first), ``gsi2pk``/``gsi2sk`` (open
positions of its county) and ``gsi3pk``/``gsi3sk`` (of its city), newest first; closing removes
them, so the indexes are sparse and hold only what the catalogue may list. Every catalogue read is
one Query on one of them (the province, a city or a county: ``catalogue_scope``), never a Scan.

``filled`` is changed only by approvals, through ``approval_increment`` inside the review
transaction; editors' writes are conditional on the ``version`` they read (optimistic locking).
Approvals do not bump ``version``: an editor's form never carries ``filled``, so an approval in
between is no conflict, while the ``filled <= headcount`` condition still protects the places taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from internship import cursors, errors, keys, regions
from internship.positions.models import PositionStatus
from internship.table import ConditionFailed, Table

INDEX_KEYS = ("gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk")
# Stored attributes that are not the editors' fields: keys and what the service keeps.
_KEPT = frozenset({keys.PK, keys.SK, *INDEX_KEYS, "positionId", "filled", "status", "version", "createdAt",
                   "updatedAt", "createdBy", "updatedBy", "createdJurisdiction", "updatedJurisdiction"})  # fmt: skip
NOT_FOUND = "未找到该见习岗位"

# Keyword searches read on until a page is full; past this many reads in one request the page is
# answered short, with a cursor to go on (bounds the latency of a rare keyword on a huge catalogue).
MAX_READS = 10
# Chunk read per round once a filter has dropped something (keeps round trips low for keyword searches).
FOLLOW_UP_CHUNK = 100


def index_keys(position_id: str, region_code: str, created_at: str) -> dict[str, str]:
    """GSI keys of an OPEN position: all open (GSI1), open in its county (GSI2) and in its city
    (GSI3), newest first."""
    sort_key = keys.listing_sk(created_at, position_id)
    return {
        "gsi1pk": keys.OPEN_POSITIONS,
        "gsi1sk": sort_key,
        "gsi2pk": keys.open_positions_in(region_code),
        "gsi2sk": sort_key,
        "gsi3pk": keys.open_positions_in(regions.city_of(region_code)),
        "gsi3sk": sort_key,
    }


def catalogue_scope(region_prefix: str | None) -> cursors.Scope:
    """The index partition of the open positions of the province (no prefix, or its 2 digits:
    every position of the catalogue is in the deployment's province), a city (4) or a county (6)."""
    if region_prefix and len(region_prefix) == 6:
        return cursors.Scope("gsi2", keys.open_positions_in(region_prefix), "POSITION")
    if region_prefix and len(region_prefix) == 4:
        return cursors.Scope("gsi3", keys.open_positions_in(region_prefix), "POSITION")
    return cursors.Scope("gsi1", keys.OPEN_POSITIONS, "POSITION")


@dataclass(frozen=True, slots=True)
class PositionItem:
    """A stored position: the fields its editors entered (``PositionInput`` as stored, camelCase)
    and what the service keeps. Who entered or changed it, and in which jurisdiction, is never answered."""

    position_id: str
    fields: Mapping[str, Any]
    created_at: str
    updated_at: str
    status: PositionStatus = PositionStatus.OPEN
    filled: int = 0
    version: int = 1
    created_by: str | None = None
    created_jurisdiction: str | None = None
    updated_by: str | None = None
    updated_jurisdiction: str | None = None

    @property
    def region_code(self) -> str:
        return str(self.fields.get("regionCode", ""))

    def answer(self) -> dict[str, Any]:
        """The position as every route answers it (``models.Position``)."""
        return {
            **self.fields,
            "positionId": self.position_id,
            "filled": self.filled,
            "status": self.status.value,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "version": self.version,
        }

    def item(self) -> dict[str, Any]:
        """The stored item; an OPEN position carries its catalogue index keys."""
        listed = self.status is PositionStatus.OPEN
        return {
            **keys.position(self.position_id),
            **self.answer(),
            "createdBy": self.created_by,
            "createdJurisdiction": self.created_jurisdiction,
            "updatedBy": self.updated_by,
            "updatedJurisdiction": self.updated_jurisdiction,
            **(index_keys(self.position_id, self.region_code, self.created_at) if listed else {}),
        }

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> PositionItem:
        return cls(
            position_id=str(item["positionId"]),
            fields={name: value for name, value in item.items() if name not in _KEPT},
            created_at=str(item["createdAt"]),
            updated_at=str(item["updatedAt"]),
            status=PositionStatus(item["status"]),
            filled=int(item.get("filled", 0)),
            version=int(item.get("version", 1)),
            created_by=item.get("createdBy"),
            created_jurisdiction=item.get("createdJurisdiction"),
            updated_by=item.get("updatedBy") or None,
            updated_jurisdiction=item.get("updatedJurisdiction") or None,
        )


def new_item(
    position_id: str,
    fields: Mapping[str, Any],
    *,
    created_at: str,
    created_by: str | None,
    jurisdiction: str | None = None,
) -> PositionItem:
    """A newly published position (OPEN, nothing filled, version 1): the one builder."""
    return PositionItem(
        position_id, dict(fields), created_at, created_at, created_by=created_by, created_jurisdiction=jurisdiction
    )


def _of(item: Mapping[str, Any] | None) -> PositionItem | None:
    return PositionItem.of(item) if item else None


# --- reads --------------------------------------------------------------------------------------


def get(position_id: str) -> PositionItem | None:
    """One position by id (OPEN or CLOSED); ``None`` if unknown. One GetItem."""
    return _of(Table.main().get(keys.position(position_id)))


def list_open(
    *, today: str, limit: int, region_code: str | None = None, keyword: str | None = None, cursor: str | None = None
) -> tuple[list[PositionItem], str | None]:
    """Open positions, newest first, whose deadline is ``today`` or later; ``(items, nextCursor)``.

    A Query on the partition of ``region_code`` (a prefix: ``catalogue_scope``). The deadline and
    the keyword (contains, on title, unit name and major requirement) are filter expressions:
    DynamoDB applies them after ``Limit``,
    so one Query may answer fewer than ``limit`` items while more remain. To keep pages full we
    query on from the LastEvaluatedKey until ``limit`` items are collected or the index is
    exhausted. The first Query asks for exactly ``limit`` (the usual case: one round trip, every
    item read is returned); follow-ups read larger chunks and the cursor then points after the last
    item returned, not after the last item read, so nothing is skipped.
    """
    scope = catalogue_scope(region_code)
    start = scope.decode(cursor) if cursor else None
    conditions = ["deadline >= :today"]
    values: dict[str, Any] = {":partition": scope.partition, ":today": today}
    if keyword:
        conditions.append("(contains(title, :kw) OR contains(unitName, :kw) OR contains(majorRequirement, :kw))")
        values[":kw"] = keyword

    found: list[dict[str, Any]] = []
    next_key: Mapping[str, Any] | None = None
    chunk = limit
    for _ in range(MAX_READS):
        page, last = Table.main().query(
            f"{scope.key_names[0]} = :partition",
            values,
            index=scope.index,
            filter=" AND ".join(conditions),
            limit=chunk,
            newest_first=True,
            start=start,
        )
        wanted = limit - len(found)
        if len(page) > wanted:
            # Read past the page's end: go on after the last item answered.
            found.extend(page[:wanted])
            next_key = page[wanted - 1]
            break
        found.extend(page)
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


def update(
    current: PositionItem,
    fields: Mapping[str, Any],
    *,
    version: int,
    updated_at: str,
    updated_by: str | None,
    jurisdiction: str | None = None,
) -> PositionItem:
    """Replace the editable fields, conditional on ``version`` and on ``filled <= headcount``.

    ``current`` is the position read before (closing bumps the version, so the version condition
    also guarantees its status is unchanged): an OPEN position gets its region index key rewritten
    (the region may have changed). Answers the position after the update. Failures: unknown id →
    404, version moved on → 409 ``CONFLICT``, headcount below the places already taken → 422.
    """
    assignments = {**fields, "updatedAt": updated_at}
    if updated_by:
        assignments["updatedBy"] = updated_by
    if jurisdiction:
        assignments["updatedJurisdiction"] = jurisdiction
    if current.status is PositionStatus.OPEN:
        assignments.update(index_keys(current.position_id, fields["regionCode"], current.created_at))
    names = {f"#f{i}": name for i, name in enumerate(assignments)}
    values = {f":v{i}": value for i, value in enumerate(assignments.values())}
    sets = [f"#f{i} = :v{i}" for i in range(len(assignments))]
    try:
        return PositionItem.of(
            Table.main().update(
                keys.position(current.position_id),
                "SET " + ", ".join([*sets, "version = version + :one"]),
                condition="attribute_exists(pk) AND version = :version AND filled <= :v_headcount",
                names=names,
                values={**values, ":version": version, ":one": 1, ":v_headcount": fields["headcount"]},
            )
        )
    except ConditionFailed as failed:
        old = _of(failed.item) or get(current.position_id)
        if old is None:
            raise errors.NotFound(NOT_FOUND) from failed
        if old.version != version:
            raise errors.Conflict("该岗位信息已被他人修改，请刷新后重试") from failed
        raise errors.ValidationFailed.on("headcount", f"招募人数不能少于已录用人数（{old.filled}人）") from failed


def close(
    position_id: str, *, updated_at: str, updated_by: str | None, jurisdiction: str = ""
) -> tuple[PositionItem, bool]:
    """Close an OPEN position of ``jurisdiction`` (a region prefix) and take it out of the catalogue
    indexes; ``(position, closed_now)``. One UpdateItem: the jurisdiction is a condition of the write.

    Closing a CLOSED position, or one outside the jurisdiction, changes nothing and answers it as
    stored (``closed_now`` false): the caller decides what the outside one is (404).
    """
    try:
        item = Table.main().update(
            keys.position(position_id),
            "SET #status = :closed, updatedAt = :at, updatedBy = :by, updatedJurisdiction = :jurisdiction, "
            "version = version + :one REMOVE " + ", ".join(INDEX_KEYS),
            condition="attribute_exists(pk) AND #status = :open AND begins_with(regionCode, :jurisdiction)",
            names={"#status": "status"},
            values={
                ":closed": PositionStatus.CLOSED.value,
                ":open": PositionStatus.OPEN.value,
                ":at": updated_at,
                ":by": updated_by or "",
                ":jurisdiction": jurisdiction,
                ":one": 1,
            },
        )
    except ConditionFailed as failed:
        if failed.item is None:
            raise errors.NotFound(NOT_FOUND) from failed
        return PositionItem.of(failed.item), False
    return PositionItem.of(item), True


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
