"""Back-office maintenance, AWS_IAM only: positions (见习岗位录入及维护) within the caller's jurisdiction,
and the jurisdictions of back-office identities (``/manage/reviewers``, for administrators)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response

from internship import callers, errors
from internship.api import Cursor, PathId, PrincipalArn, make_resolver, page_size
from internship.apidoc import answers, created
from internship.observability import lambda_entry
from internship.positions import service
from internship.positions.models import Position, PositionInput, PositionUpdate
from internship.reviewers import jurisdiction
from internship.reviewers import service as reviewers
from internship.reviewers.models import Reviewer, ReviewerInput, ReviewerPage

app = make_resolver()


@app.post(
    "/manage/positions",
    summary="录入见习岗位（本辖区内）",
    tags=["manage"],
    operation_id="createPosition",
    **created(description="岗位已录入"),
)
def create_position(body: PositionInput) -> Position:
    return service.publish_position(body, by=jurisdiction.on_duty(app))


@app.put(
    "/manage/positions/<positionId>",
    summary="修改见习岗位（本辖区内）",
    tags=["manage"],
    operation_id="updatePosition",
    responses=answers(200, errors.Conflict, description="岗位已修改"),
)
def update_position(positionId: PathId, body: PositionUpdate) -> Position:
    return service.update_position(positionId, body, by=jurisdiction.on_duty(app))


@app.post(
    "/manage/positions/<positionId>/close",
    summary="关闭见习岗位（本辖区内）",
    tags=["manage"],
    operation_id="closePosition",
    responses=answers(200, description="岗位已关闭（CLOSED）"),
)
def close_position(positionId: PathId) -> Position:
    return service.close_position(positionId, by=jurisdiction.on_duty(app))


@app.get("/manage/reviewers", summary="审核/经办账号及其管辖范围", tags=["manage"], operation_id="listReviewers")
def list_reviewers(
    limit: Annotated[int, page_size(100)] = 50,
    cursor: Cursor = None,
) -> ReviewerPage:
    return reviewers.list_reviewers(limit, cursor)


@app.put(
    "/manage/reviewers/<principalArn>",
    summary="设置账号的管辖范围",
    tags=["manage"],
    operation_id="assignReviewer",
    responses=answers(200, description="已设置"),
)
def assign_reviewer(principal_arn: PrincipalArn, body: ReviewerInput) -> Reviewer:
    return reviewers.assign(principal_arn, body, by=callers.reviewer(app).principal)


@app.delete(
    "/manage/reviewers/<principalArn>",
    summary="取消账号的管辖范围",
    tags=["manage"],
    operation_id="revokeReviewer",
    responses=answers(204, errors.NotFound, description="已取消", body=False),
)
def revoke_reviewer(principal_arn: PrincipalArn) -> Response[str]:
    reviewers.revoke(principal_arn, by=callers.reviewer(app).principal)
    return Response(status_code=204, body="")


lambda_handler = lambda_entry(app.resolve)
