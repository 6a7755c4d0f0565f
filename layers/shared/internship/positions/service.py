"""Position logic: the public catalogue (见习岗位查询) and maintenance (见习岗位录入及维护).

Rules that need stored state are conditions of the writes (``repository``); the rest are in the
request models. Dates are China Standard Time (``clock``).
"""

from __future__ import annotations

import uuid
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import clock, errors
from internship.callers import Caller
from internship.observability import logger, metrics
from internship.positions import repository
from internship.positions.models import Position, PositionInput, PositionPage, PositionUpdate
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


def get_position(position_id: str) -> Position:
    """One position by id, OPEN or CLOSED (a closed one stays readable for applicants' records)."""
    position = repository.get(position_id)
    if position is None:
        raise errors.NotFound(NOT_FOUND)
    return Position.model_validate(position.answer())


NOT_FOUND = repository.NOT_FOUND


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
    position, closed_now = repository.close(
        position_id, updated_at=clock.iso(clock.now()), updated_by=by.principal, jurisdiction=by.jurisdiction
    )
    jurisdiction.require_visible(by, position.region_code, NOT_FOUND)
    if closed_now:
        metrics.add_metric(name="PositionClosed", unit=MetricUnit.Count, value=1)
        logger.info("position closed", extra={"positionId": position_id})
    return Position.model_validate(position.answer())
