"""Position logic: the public catalogue (见习岗位查询) and maintenance (见习岗位录入及维护), by the
bureau (``/manage/positions``, published at once) and by host units (``/unit/positions``, reviewed
by the bureau of the position's place before they are published: ``internship.review.positions``).

Rules that need stored state are conditions of the writes (``repository``); the rest are in the
request models. Dates are China Standard Time (``clock``). A unit works only on positions carrying
its own credit code: another's is 404, as if it did not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import clock, errors, regions
from internship.callers import Caller
from internship.observability import logger, metrics
from internship.positions import repository
from internship.positions.items import STATUS_LABELS, PositionStatus
from internship.positions.models import (
    Position,
    PositionInput,
    PositionPage,
    PositionUpdate,
    UnitPosition,
    UnitPositionDetail,
    UnitPositionInput,
    UnitPositionPage,
    UnitPositionUpdate,
)
from internship.reviewers import jurisdiction

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
MAX_KEYWORD = 50


def _fields(body: PositionInput) -> dict[str, Any]:
    """The editable fields as stored (camelCase attribute names, the deadline as YYYY-MM-DD)."""
    data: dict[str, Any] = body.model_dump(by_alias=True, mode="json", exclude={"version"})
    return data


def list_positions(
    *, keyword: str | None = None, region_code: str | None = None, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> PositionPage:
    """OPEN positions whose deadline has not passed, newest first, optionally by region and keyword
    (each already checked by its query type: ``functions/positions/app.py``)."""
    items, next_cursor = repository.list_open(
        today=clock.today().isoformat(), limit=limit, region_code=region_code, keyword=keyword, cursor=cursor or None
    )
    return PositionPage(items=[Position.model_validate(item.answer()) for item in items], next_cursor=next_cursor)


# What the public may read: published positions (a closed one stays readable for applicants' records),
# never one awaiting review or rejected.
_PUBLIC = frozenset({PositionStatus.OPEN, PositionStatus.CLOSED})


def get_position(position_id: str) -> Position:
    """One published position by id, OPEN or CLOSED; 404 for one not (yet) published."""
    position = repository.get(position_id)
    if position is None or position.status not in _PUBLIC:
        raise errors.NotFound(NOT_FOUND)
    return Position.model_validate(position.answer())


NOT_FOUND = repository.NOT_FOUND
CLOSED = "该见习岗位已关闭，不能再修改"
REGION_FIXED = "已发布岗位的所在地不能修改，如需变更请关闭后重新录入"
OUTSIDE_PROVINCE = "见习地点应在本省内"


def publish_position(body: PositionInput, *, by: Caller) -> Position:
    """Create a position inside the caller's jurisdiction: fresh id, OPEN, nothing filled, version 1 (见习岗位录入)."""
    jurisdiction.require_assignable(by, body.region_code)
    position_id = str(uuid.uuid4())
    position = repository.new_item(
        position_id,
        _fields(body),
        created_at=clock.iso(clock.now()),
        created_by=by.principal,
        jurisdiction=by.jurisdiction,
    )
    repository.put_new(position)
    metrics.add_metric(name="PositionPublished", unit=MetricUnit.Count, value=1)
    logger.info("position published", extra={"positionId": position_id, "regionCode": position.region_code})
    return Position.model_validate(position.answer())


def update_position(position_id: str, body: PositionUpdate, *, by: Caller) -> Position:
    """Edit a position of the caller's jurisdiction (else 404), keeping it there, conditional on the
    version the editor read (409 ``CONFLICT`` otherwise)."""
    current = repository.get(position_id)
    if current is None:
        raise errors.NotFound(NOT_FOUND)
    jurisdiction.require_visible(by, current.region_code, NOT_FOUND)
    jurisdiction.require_assignable(by, body.region_code)
    if current.version != body.version:
        # Fail fast; the write below is conditional on the version anyway (races are settled there).
        raise errors.Conflict("该岗位信息已被他人修改，请刷新后重试")
    position = repository.update(
        current,
        _fields(body),
        version=body.version,
        updated_at=clock.iso(clock.now()),
        updated_by=by.principal,
        jurisdiction=by.jurisdiction,
    )
    logger.info("position updated", extra={"positionId": position_id, "version": position.version})
    return Position.model_validate(position.answer())


def close_position(position_id: str, *, by: Caller) -> Position:
    """Close a position of the caller's jurisdiction (else 404): it leaves the catalogue; closing a
    closed one answers it unchanged."""
    current, revision = repository.get_with_revision(position_id)
    if current is None:
        raise errors.NotFound(NOT_FOUND)
    jurisdiction.require_visible(by, current.region_code, NOT_FOUND)
    return Position.model_validate(_close(current, revision, by).answer())


def _close(
    current: repository.PositionItem, revision: repository.RevisionItem | None, by: Caller
) -> repository.PositionItem:
    if current.status is PositionStatus.CLOSED:
        return current
    position = repository.close(
        current, updated_at=clock.iso(clock.now()), updated_by=by.actor, jurisdiction=by.jurisdiction, revision=revision
    )
    metrics.add_metric(name="PositionClosed", unit=MetricUnit.Count, value=1)
    logger.info("position closed", extra={"positionId": current.position_id})
    return position


# --- host units (见习单位, /unit/positions) -------------------------------------------------------


def _unit_answer(position: repository.PositionItem) -> UnitPosition:
    return UnitPosition.model_validate({**position.unit_answer(), "statusLabel": STATUS_LABELS[position.status]})


def _own(unit: Caller, position_id: str) -> tuple[repository.PositionItem, repository.RevisionItem | None]:
    """The unit's own position and its change under review; 404 for another's (never revealed)."""
    position, revision = repository.get_with_revision(position_id)
    if position is None or position.unit_credit_code != unit.unit_credit_code:
        raise errors.NotFound(NOT_FOUND)
    return position, revision


def _unit_fields(body: UnitPositionInput, unit: Caller) -> dict[str, Any]:
    """The editable fields as stored, the unit's name and credit code the logged-in unit's."""
    if not regions.in_province(body.region_code):
        raise errors.ValidationFailed.on("regionCode", OUTSIDE_PROVINCE)
    return {**_fields(body), "unitName": unit.unit_name, "unitCreditCode": unit.unit_credit_code}


def unit_positions(unit: Caller, status: PositionStatus | None, limit: int, cursor: str | None) -> UnitPositionPage:
    """我的岗位: the unit's own positions, every status or one, those needing it first (one Query)."""
    items, next_cursor = repository.unit_page(unit.unit_credit_code, status, limit, cursor)
    return UnitPositionPage(items=[_unit_answer(item) for item in items], next_cursor=next_cursor)


def unit_position(unit: Caller, position_id: str) -> UnitPositionDetail:
    """One of the unit's positions with the text of its change under review (one Query)."""
    position, revision = _own(unit, position_id)
    answer = {**position.unit_answer(revision), "statusLabel": STATUS_LABELS[position.status]}
    return UnitPositionDetail.model_validate(answer)


def unit_create(unit: Caller, body: UnitPositionInput) -> UnitPosition:
    """A host unit enters a position (见习岗位录入): PENDING_REVIEW until the bureau of its place decides."""
    position = repository.new_item(
        str(uuid.uuid4()),
        _unit_fields(body, unit),
        created_at=clock.iso(clock.now()),
        created_by=unit.actor,
        status=PositionStatus.PENDING_REVIEW,
    )
    repository.put_new(position)
    metrics.add_metric(name="PositionSubmitted", unit=MetricUnit.Count, value=1)
    logger.info("position submitted", extra={"positionId": position.position_id, "regionCode": position.region_code})
    return _unit_answer(position)


def unit_update(unit: Caller, position_id: str, body: UnitPositionUpdate) -> UnitPosition:
    """A host unit edits its position (见习岗位维护), conditional on the version it read (409 otherwise):
    not yet published, the new text goes to review again; published (OPEN), the change waits for the
    bureau while the catalogue keeps the approved text (修改待审核); closed, it cannot change (409)."""
    current, _ = _own(unit, position_id)
    fields = _unit_fields(body, unit)
    if current.version != body.version:
        raise errors.Conflict(repository.CHANGED)  # fail fast; the write is conditional on it anyway
    now = clock.iso(clock.now())
    if current.status is PositionStatus.CLOSED:
        raise errors.PositionClosed(CLOSED)
    if current.status is PositionStatus.OPEN:
        if fields["regionCode"] != current.region_code:
            raise errors.ValidationFailed.on("regionCode", REGION_FIXED)
        revision = repository.RevisionItem(position_id, fields, now, unit.actor)
        position = repository.revise(current, revision, version=body.version)
    else:
        position = repository.resubmit(current, fields, version=body.version, at=now, by=unit.actor)
    metrics.add_metric(name="PositionSubmitted", unit=MetricUnit.Count, value=1)
    logger.info("position change submitted", extra={"positionId": position_id, "version": position.version})
    return _unit_answer(position)


def unit_close(unit: Caller, position_id: str) -> UnitPosition:
    """A host unit closes its position (关闭): out of the catalogue or the review queue; closing a
    closed one answers it unchanged."""
    current, revision = _own(unit, position_id)
    return _unit_answer(_close(current, revision, unit))
