"""好差评: POST /applications/{applicationId}/rating and POST /registrations/{registrationId}/rating
(the citizen), and for the back office (IAM, within its jurisdiction) GET /review/ratings and
POST /review/ratings/{ratingId}/follow-up."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from internship import callers, errors
from internship.api import Cursor, PathId, make_resolver, page_size
from internship.apidoc import answers, created
from internship.cases import CaseKind
from internship.observability import lambda_entry
from internship.ratings import service
from internship.ratings.models import (
    FollowUpRequest,
    FollowUpState,
    RatingRequest,
    RatingResponse,
    ReviewRating,
    ReviewRatingPage,
)
from internship.reviewers import jurisdiction
from internship.types import Month, RegionFilter

app = make_resolver()


@app.post(
    "/applications/<applicationId>/rating",
    summary="好差评：评价已办结的申请（差评由属地经办机构10个工作日内回访）",
    tags=["applications"],
    operation_id="rateApplication",
    **created(errors.NotFinished, errors.AlreadyRated, description="已评价"),
)
def rate_application(applicationId: PathId, body: RatingRequest) -> RatingResponse:
    return service.rate(callers.person(app).person_id, CaseKind.APPLICATION, applicationId, body)


@app.post(
    "/registrations/<registrationId>/rating",
    summary="好差评：评价已办结的就业创业证申领（差评由属地经办机构10个工作日内回访）",
    tags=["registrations"],
    operation_id="rateRegistration",
    **created(errors.NotFinished, errors.AlreadyRated, description="已评价"),
)
def rate_registration(registrationId: PathId, body: RatingRequest) -> RatingResponse:
    return service.rate(callers.person(app).person_id, CaseKind.REGISTRATION, registrationId, body)


@app.get(
    "/review/ratings",
    summary="好差评：本辖区的评价与差评回访（按回访状态、月份）",
    tags=["review"],
    operation_id="listReviewRatings",
)
def review_ratings(
    follow_up: Annotated[
        str | None,
        Query(
            alias="followUp",
            max_length=40,
            pattern=r"^(OPEN|OVERDUE|DONE)(,(OPEN|OVERDUE|DONE))*$",
            description="回访状态，逗号分隔：OPEN 待回访、OVERDUE 逾期、DONE 已办结（按到期日排序）；"
            "不填：全部评价（按评价时间）",
        ),
    ] = None,
    month: Annotated[Month | None, Query(description="月份 YYYY-MM：评价月份；按回访状态查询时为回访到期月份")] = None,
    region_code: Annotated[
        RegionFilter, Query(alias="regionCode", description="本辖区内的行政区划代码前缀（4位市、6位区县），缩小范围")
    ] = None,
    limit: Annotated[int, page_size(100)] = 20,
    cursor: Cursor = None,
) -> ReviewRatingPage:
    states = [FollowUpState(state) for state in dict.fromkeys(follow_up.split(","))] if follow_up else None
    return service.review_ratings(jurisdiction.on_duty(app), states, month, limit, cursor or None, region_code)


@app.post(
    "/review/ratings/<ratingId>/follow-up",
    summary="好差评：差评回访办结（结果展示给申请人，申请人可再评价一次）",
    tags=["review"],
    operation_id="closeFollowUp",
    responses=answers(200, errors.FollowUpClosed, description="已办结"),
)
def close_follow_up(ratingId: PathId, body: FollowUpRequest) -> ReviewRating:
    return service.close_follow_up(jurisdiction.on_duty(app), ratingId, body)


lambda_handler = lambda_entry(app.resolve)
