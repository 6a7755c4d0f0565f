"""Back-office review (审核), IAM (SigV4) only, within the caller's jurisdiction (属地): the queue,
the full record, the decision and the counts, of applications and of registrations (就业创业证)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import errors, types
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers
from internship.applications.models import ApplicationStatus
from internship.observability import lambda_entry
from internship.positions.items import PositionStatus
from internship.registrations.models import (
    RegistrationDecisionResponse,
    ReviewRegistrationDetail,
    ReviewRegistrationPage,
)
from internship.review import positions, registrations, service
from internship.review.models import (
    DecisionRequest,
    DecisionResponse,
    PositionDecisionResponse,
    ReviewApplicationDetail,
    ReviewPositionPage,
    ReviewQueuePage,
    ReviewStats,
)
from internship.reviewers import jurisdiction
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
    return service.review_queue(jurisdiction.on_duty(app), status, month, limit, cursor, region_code)


@app.get(
    "/review/applications/<applicationId>",
    summary="审核：申请详情（身份证号不打码）",
    tags=["review"],
    operation_id="getReviewApplication",
)
def review_detail(applicationId: PathId) -> ReviewApplicationDetail:
    return service.review_detail(jurisdiction.on_duty(app), applicationId)


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
    return service.decide(jurisdiction.on_duty(app), applicationId, body)


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
    return service.review_stats(jurisdiction.on_duty(app), month, region_code)


@app.get(
    "/review/positions",
    summary="岗位审核队列：见习单位提交的新岗位和修改（本辖区，最早提交的在前）",
    tags=["review"],
    operation_id="listPositionReviewQueue",
)
def position_review_queue(
    status: Annotated[
        # The two statuses the queue holds: the document says so (``positions.review_queue`` checks it too).
        Literal["PENDING_REVIEW", "REJECTED"],
        Query(description="PENDING_REVIEW 待审核（默认），REJECTED 未通过"),
    ] = "PENDING_REVIEW",
    region_code: RegionFilter = None,
    limit: Annotated[int, page_size(100)] = 20,
    cursor: Cursor = None,
) -> ReviewPositionPage:
    return positions.review_queue(jurisdiction.on_duty(app), PositionStatus(status), limit, cursor, region_code)


@app.post(
    "/review/positions/<positionId>/decision",
    summary="岗位审核：通过（发布）或不通过（单位可见原因）",
    tags=["review"],
    operation_id="decidePosition",
    responses=answers(200, errors.NotPending, errors.Conflict, description="已审核"),
)
def decide_position(positionId: PathId, body: DecisionRequest) -> PositionDecisionResponse:
    return positions.decide(jurisdiction.on_duty(app), positionId, body)


@app.get(
    "/review/registrations",
    summary="就业创业证申领审核队列（户籍在本辖区，最早提交的在前）",
    tags=["review"],
    operation_id="listRegistrationQueue",
)
def registration_review_queue(
    status: Annotated[
        ApplicationStatus, Query(description="审核状态，默认 PENDING（未审核）")
    ] = ApplicationStatus.PENDING,
    month: Annotated[Month | None, Query(description="申办月份 YYYY-MM")] = None,
    region_code: RegionFilter = None,
    limit: Annotated[int, page_size(100)] = 20,
    cursor: Cursor = None,
) -> ReviewRegistrationPage:
    return registrations.review_queue(jurisdiction.on_duty(app), status, month, limit, cursor, region_code)


@app.get(
    "/review/registrations/<registrationId>",
    summary="审核：就业创业证申领详情（身份证号不打码）",
    tags=["review"],
    operation_id="getReviewRegistration",
)
def registration_review_detail(registrationId: PathId) -> ReviewRegistrationDetail:
    return registrations.review_detail(jurisdiction.on_duty(app), registrationId)


@app.post(
    "/review/registrations/<registrationId>/decision",
    summary="审核就业创业证申领：通过（发放就业创业证）或不通过",
    tags=["review"],
    operation_id="decideRegistration",
    responses=answers(200, errors.NotPending, errors.CertificateExists, errors.Conflict, description="已审核"),
)
def decide_registration(registrationId: PathId, body: DecisionRequest) -> RegistrationDecisionResponse:
    return registrations.decide(jurisdiction.on_duty(app), registrationId, body)


lambda_handler = lambda_entry(app.resolve)
