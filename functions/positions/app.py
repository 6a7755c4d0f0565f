"""Public catalogue of open internship positions (见习岗位查询) and the places they are in
(行政区划, the names the portal offers): no login needed."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from internship.api import JSON, Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers
from internship.observability import lambda_entry
from internship.positions import service
from internship.positions.models import Position, PositionPage
from internship.regions.models import CACHE_CONTROL, RegionList, regions_json
from internship.types import RegionFilter, text_constraints

# Trimmed; empty is no filter.
Keyword = Annotated[str, text_constraints(service.MAX_KEYWORD, required=False)]

app = make_resolver(personal_data=False)


@app.get("/positions", summary="见习岗位查询", tags=["positions"], operation_id="listPositions")
def list_positions(
    keyword: Annotated[Keyword | None, Query(description="关键字：岗位名称、单位名称或专业要求")] = None,
    region_code: Annotated[
        RegionFilter, Query(alias="regionCode", description="行政区划代码：省（14）、市（如1401）或区县（如140105）")
    ] = None,
    limit: Annotated[int, page_size(service.MAX_LIMIT)] = service.DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> PositionPage:
    return service.list_positions(keyword=keyword or None, region_code=region_code, limit=limit, cursor=cursor)


@app.get("/positions/<positionId>", summary="见习岗位详情", tags=["positions"], operation_id="getPosition")
def get_position(positionId: PathId) -> Position:
    return service.get_position(positionId)


@app.get(
    "/regions",
    summary="行政区划：本省及其市、区县（名称与代码）",
    tags=["regions"],
    operation_id="listRegions",
    responses=answers(
        200,
        model=RegionList,
        description="省、市、区县，按代码排序；可缓存一天",
        headers={"Cache-Control": {"description": CACHE_CONTROL, "schema": {"type": "string", "maxLength": 64}}},
    ),
)
def list_regions() -> Response[str]:
    return Response(status_code=200, content_type=JSON, body=regions_json(), headers={"Cache-Control": CACHE_CONTROL})


lambda_handler = lambda_entry(app.resolve)
