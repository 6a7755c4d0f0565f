"""Back-office review (审核), IAM (SigV4) only, within the caller's jurisdiction (属地): the queue,
the full record, the decision and the counts."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import access, audit, errors, types
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers
from internship.applications.models import ApplicationStatus
from internship.observability import lambda_entry
from internship.review import service
from internship.review.models import (
    DecisionRequest,
    DecisionResponse,
    ReviewApplicationDetail,
    ReviewQueuePage,
    ReviewStats,
)
from internship.types import Month

app = make_resolver()

RegionFilter = Annotated[
    types.RegionFilter,
    Query(alias="regionCode", description="本辖区内的行政区划代码前缀（4位市、6位区县），缩小范围"),
]


@app.get(
    "/review/applications",
    summary="审核队列（本辖区，最早提交的在前）",
    tags=["review"],
    operation_id="listReviewQueue",
)
def review_queue(
    status: Annotated[
        ApplicationStatus, Query(description="审核状态，默认 PENDING（未审核）")
    ] = ApplicationStatus.PENDING,
    month: Annotated[Month | None, Query(description="申办月份 YYYY-MM")] = None,
    region_code: RegionFilter = None,
    limit: Annotated[int, page_size(100)] = 20,
    cursor: Cursor = None,
) -> ReviewQueuePage:
    return service.review_queue(access.caller(app), status, month, limit, cursor, region_code)


@app.get(
    "/review/applications/<applicationId>",
    summary="审核：申请详情（身份证号不打码）",
    tags=["review"],
    operation_id="getReviewApplication",
)
def review_detail(applicationId: PathId) -> ReviewApplicationDetail:
    return service.review_detail(access.caller(app), applicationId, audit.caller(app))


@app.post(
    "/review/applications/<applicationId>/decision",
    summary="审核：通过或不通过",
    tags=["review"],
    operation_id="decideApplication",
    responses=answers(200, errors.NotPending, errors.PositionFull, description="已审核"),
)
def decide(
    applicationId: PathId,
    body: DecisionRequest,
) -> DecisionResponse:
    return service.decide(access.caller(app), applicationId, body, audit.caller(app))


@app.get(
    "/review/stats",
    summary="审核统计：本辖区某月申请数（按状态，省按市、市按区县）",
    tags=["review"],
    operation_id="getReviewStats",
)
def review_stats(
    month: Annotated[Month | None, Query(description="申办月份 YYYY-MM，默认本月")] = None,
    region_code: RegionFilter = None,
) -> ReviewStats:
    return service.review_stats(access.caller(app), month, region_code)


lambda_handler = lambda_entry(app.resolve)
