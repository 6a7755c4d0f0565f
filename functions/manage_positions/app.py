"""Position entry and maintenance (见习岗位录入及维护) for host units and back office: AWS_IAM only."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body

from internship import errors
from internship.api import PathId, iam_principal, make_resolver
from internship.apidoc import answers
from internship.observability import lambda_entry
from internship.positions import service
from internship.positions.models import Position, PositionInput, PositionUpdate

app = make_resolver()


@app.post(
    "/manage/positions",
    summary="录入见习岗位",
    tags=["manage"],
    operation_id="createPosition",
    responses=answers(201, description="岗位已录入", model=Position),
)
def create_position(body: Annotated[PositionInput, Body()]) -> tuple[Position, int]:
    return service.publish_position(body, by=iam_principal(app)), 201


@app.put(
    "/manage/positions/<positionId>",
    summary="修改见习岗位",
    tags=["manage"],
    operation_id="updatePosition",
    responses=answers(200, errors.Conflict, description="岗位已修改"),
)
def update_position(positionId: PathId, body: Annotated[PositionUpdate, Body()]) -> Position:
    return service.update_position(positionId, body, by=iam_principal(app))


@app.post(
    "/manage/positions/<positionId>/close",
    summary="关闭见习岗位",
    tags=["manage"],
    operation_id="closePosition",
    responses=answers(200, description="岗位已关闭（CLOSED）"),
)
def close_position(positionId: PathId) -> Position:
    return service.close_position(positionId, by=iam_principal(app))


lambda_handler = lambda_entry(app.resolve)
