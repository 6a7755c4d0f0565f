"""单位中心 of host units (见习单位), signed in with the legal-person login (法人登录): their own
positions (见习岗位录入及维护, reviewed by the bureau of their place before they are published) and
the applicants to them (申请人员). A citizen's session is refused here (403), another unit's position
does not exist (404)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import callers, errors
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers, created
from internship.applications.applicants import unit_applicants
from internship.applications.items import ApplicationStatus
from internship.applications.models import UnitApplicantPage
from internship.observability import lambda_entry
from internship.positions import service
from internship.positions.items import PositionStatus
from internship.positions.models import (
    UnitPosition,
    UnitPositionDetail,
    UnitPositionInput,
    UnitPositionPage,
    UnitPositionUpdate,
)

app = make_resolver()


@app.get(
    "/unit/positions", summary="我的岗位：本单位的见习岗位（各状态）", tags=["unit"], operation_id="listUnitPositions"
)
def list_unit_positions(
    status: Annotated[
        PositionStatus | None, Query(description="PENDING_REVIEW 待审核，OPEN 已发布，REJECTED 未通过，CLOSED 已关闭")
    ] = None,
    limit: Annotated[int, page_size(100)] = 20,
    cursor: Cursor = None,
) -> UnitPositionPage:
    return service.unit_positions(callers.unit(app), status, limit, cursor)


@app.post(
    "/unit/positions",
    summary="新增见习岗位（提交所在地人社部门审核）",
    tags=["unit"],
    operation_id="createUnitPosition",
    **created(description="已提交，待审核（PENDING_REVIEW）"),
)
def create_unit_position(body: UnitPositionInput) -> UnitPosition:
    return service.unit_create(callers.unit(app), body)


@app.get(
    "/unit/positions/<positionId>",
    summary="本单位的见习岗位详情（含待审核的修改）",
    tags=["unit"],
    operation_id="getUnitPosition",
)
def get_unit_position(positionId: PathId) -> UnitPositionDetail:
    return service.unit_position(callers.unit(app), positionId)


@app.put(
    "/unit/positions/<positionId>",
    summary="修改见习岗位（已发布的岗位：修改经审核后生效）",
    tags=["unit"],
    operation_id="updateUnitPosition",
    responses=answers(200, errors.Conflict, errors.PositionClosed, description="已提交修改"),
)
def update_unit_position(positionId: PathId, body: UnitPositionUpdate) -> UnitPosition:
    return service.unit_update(callers.unit(app), positionId, body)


@app.post(
    "/unit/positions/<positionId>/close",
    summary="关闭见习岗位",
    tags=["unit"],
    operation_id="closeUnitPosition",
    responses=answers(200, errors.Conflict, description="岗位已关闭（CLOSED）"),
)
def close_unit_position(positionId: PathId) -> UnitPosition:
    return service.unit_close(callers.unit(app), positionId)


@app.get(
    "/unit/applications",
    summary="申请人员：本单位岗位的申请（按岗位、审核状态；身份证号打码，审核通过后显示手机号）",
    tags=["unit"],
    operation_id="listUnitApplications",
)
def list_unit_applications(
    position_id: Annotated[
        str | None, Query(alias="positionId", min_length=1, max_length=64, description="见习岗位编号")
    ] = None,
    status: Annotated[ApplicationStatus | None, Query(description="审核状态")] = None,
    limit: Annotated[int, page_size(50)] = 20,
    cursor: Cursor = None,
) -> UnitApplicantPage:
    return unit_applicants(callers.unit(app), position_id, status, limit, cursor)


lambda_handler = lambda_entry(app.resolve)
