"""GET /applications (my cases, 我的办件) and GET /applications/{applicationId} (detail)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import callers
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.applications import service
from internship.applications.models import ApplicationDetail, ApplicationList, StatusFilter
from internship.observability import lambda_entry
from internship.types import Month

app = make_resolver()


@app.get(
    "/applications",
    summary="我的办件：按审核状态和申办月份查询，最新的在前",
    tags=["applications"],
    operation_id="listMyApplications",
)
def list_my_applications(
    status: Annotated[StatusFilter | None, Query()] = None,
    month: Annotated[Month | None, Query()] = None,
    limit: Annotated[int, page_size(50)] = 20,
    cursor: Cursor = None,
) -> ApplicationList:
    return service.my_cases(callers.person(app).person_id, status, month, limit, cursor or None)


@app.get(
    "/applications/<applicationId>",
    summary="申请详情：表单、附件（含下载链接）和办理记录",
    tags=["applications"],
    operation_id="getMyApplication",
)
def get_my_application(applicationId: PathId) -> ApplicationDetail:
    return service.detail(callers.person(app).person_id, applicationId)


lambda_handler = lambda_entry(app.resolve)
