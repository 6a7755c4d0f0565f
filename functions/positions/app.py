"""Public catalogue of open internship positions (见习岗位查询): no login needed."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship.api import Cursor, PathId, make_resolver, page_size
from internship.observability import lambda_entry
from internship.positions import service
from internship.positions.models import Position, PositionPage
from internship.types import OptionalRegionCode, text_constraints

# Trimmed; empty is no filter.
Keyword = Annotated[str, text_constraints(service.MAX_KEYWORD, required=False)]

app = make_resolver(personal_data=False)


@app.get("/positions", summary="见习岗位查询", tags=["positions"], operation_id="listPositions")
def list_positions(
    keyword: Annotated[Keyword | None, Query(description="关键字：岗位名称、单位名称或专业要求")] = None,
    region_code: Annotated[OptionalRegionCode, Query(alias="regionCode", description="行政区划代码（6位）")] = None,
    limit: Annotated[int, page_size(service.MAX_LIMIT)] = service.DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PositionPage:
    return service.list_positions(keyword=keyword or None, region_code=region_code, limit=limit, cursor=cursor)


@app.get("/positions/<positionId>", summary="见习岗位详情", tags=["positions"], operation_id="getPosition")
def get_position(positionId: PathId) -> Position:
    return service.get_position(positionId)


lambda_handler = lambda_entry(app.resolve)
