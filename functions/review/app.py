"""Back-office review (审核), IAM (SigV4) only: the queue, the full record, the decision."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from internship import errors
from internship.api import PathId, iam_principal, make_resolver
from internship.apidoc import answers
from internship.applications.models import ApplicationStatus
from internship.observability import lambda_entry
from internship.review import service
from internship.review.models import DecisionRequest, DecisionResponse, ReviewApplicationDetail, ReviewQueuePage
from internship.types import Month

app = make_resolver()


@app.get("/review/applications", summary="审核队列（最早提交的在前）", tags=["review"], operation_id="listReviewQueue")
def review_queue(
    status: Annotated[
        ApplicationStatus, Query(description="审核状态，默认 PENDING（未审核）")
    ] = ApplicationStatus.PENDING,
    month: Annotated[Month | None, Query(description="申办月份 YYYY-MM")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="每页条数，1至100")] = 20,
    cursor: Annotated[str | None, Query(description="上一页答复的 nextCursor")] = None,
) -> ReviewQueuePage:
    return service.review_queue(status, month, limit, cursor)


@app.get(
    "/review/applications/<applicationId>",
    summary="审核：申请详情（身份证号不打码）",
    tags=["review"],
    operation_id="getReviewApplication",
)
def review_detail(applicationId: PathId) -> ReviewApplicationDetail:
    return service.review_detail(applicationId)


@app.post(
    "/review/applications/<applicationId>/decision",
    summary="审核：通过或不通过",
    tags=["review"],
    operation_id="decideApplication",
    responses=answers(200, errors.NotPending, errors.PositionFull, description="已审核"),
)
def decide(
    applicationId: PathId,
    decision: Annotated[DecisionRequest, Body(embed=False)],
) -> DecisionResponse:
    return service.decide(applicationId, decision, iam_principal(app))


lambda_handler = lambda_entry(app.resolve)
