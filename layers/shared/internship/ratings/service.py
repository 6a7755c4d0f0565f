"""Use cases of 好差评: rate a finished case, show a case's ratings, list and close follow-ups.

Rules (SPEC §4 "Ratings and messages", GB/T 39734-2020): a case is rated once it is finished
(APPROVED, REJECTED or WITHDRAWN), once; a 差评 (level 1 or 2) opens a follow-up for the case's
jurisdiction due 10 working days later (``internship.workdays``: weekends and the configured
holidays excluded, make-up workdays included, Asia/Shanghai dates); once the bureau has closed it,
the citizen may rate the case once more. The back office acts inside its jurisdiction (属地): another
place's rating or follow-up does not exist for it (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import replace
from datetime import date
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from internship import cases, clock, errors
from internship.callers import Caller
from internship.cases import CaseKind
from internship.observability import logger, metrics
from internship.ratings import repository
from internship.ratings.items import (
    BAD_LEVELS,
    FOLLOW_UP_WORKING_DAYS,
    LEVEL_LABELS,
    FollowUp,
    FollowUpStatus,
    Rating,
    follow_up_state,
    next_seq,
    ratings_of,
)
from internship.ratings.models import (
    CaseRatings,
    FollowUpRequest,
    FollowUpState,
    FollowUpView,
    RatingRequest,
    RatingResponse,
    RatingView,
    ReviewFollowUp,
    ReviewRating,
    ReviewRatingPage,
)
from internship.reviewers import jurisdiction
from internship.settings import get_settings

NOT_FOUND = {kind: kind_type.not_found for kind, kind_type in cases.TYPES.items()}
FOLLOW_UP_NOT_FOUND = "未找到该差评回访"


def rate(person_id: str, kind: CaseKind, case_id: str, request: RatingRequest) -> RatingResponse:
    """好差评 of one of the person's own cases (another person's: 404)."""
    case, others = cases.read_partition(kind, case_id)
    if case is None or case.person_id != person_id:
        raise errors.NotFound(NOT_FOUND.get(kind, "未找到该办件"))
    if not case.finished:
        raise errors.NotFinished()
    seq = next_seq(ratings_of(others))
    if seq is None:
        raise errors.AlreadyRated()
    now = clock.now()
    rating = Rating(
        rating_id=str(uuid.uuid4()),
        case_kind=kind.value,
        case_id=case_id,
        seq=seq,
        reference_no=case.reference_no,
        person_id=person_id,
        level=request.level,
        comment=request.comment or None,
        rated_at=clock.iso(now),
        month=clock.month_of(now),
        region_code=case.region_code,
    )
    follow_up = None
    if request.level in BAD_LEVELS:
        due = get_settings().work_calendar.add_working_days(now.date(), FOLLOW_UP_WORKING_DAYS)
        follow_up = FollowUp.of_rating(rating, due.isoformat())
        rating = replace(rating, follow_up=follow_up.copy())
    repository.rate(case, rating, follow_up)
    metrics.add_metric(name="RatingSubmitted", unit=MetricUnit.Count, value=1)
    logger.info("case rated", extra={"ratingId": rating.rating_id, "level": request.level, "seq": seq})
    view = _rating_view(rating, now.date())
    return RatingResponse(
        rating_id=view.rating_id, level=view.level, level_label=view.level_label, follow_up=view.follow_up
    )


def _follow_up_view(copy: dict[str, Any] | None, today: date) -> FollowUpView | None:
    if not copy:
        return None
    return FollowUpView(
        due_date=str(copy["dueDate"]),
        status=FollowUpState(follow_up_state(str(copy["status"]), str(copy["dueDate"]), today)),
        result=copy.get("result") or None,
        done_at=copy.get("doneAt") or None,
    )


def _rating_view(rating: Rating, today: date) -> RatingView:
    return RatingView(
        rating_id=rating.rating_id,
        level=rating.level,
        level_label=rating.label,
        follow_up=_follow_up_view(rating.follow_up, today),
        comment=rating.comment,
        rated_at=rating.rated_at,
    )


def case_ratings(status: str, partition_items: list[dict[str, Any]]) -> CaseRatings:
    """A case's ratings for its detail (from the items its detail Query read) and whether it may be rated."""
    ratings = ratings_of(partition_items)
    today = clock.today()
    return CaseRatings(
        ratings=[_rating_view(rating, today) for rating in ratings],
        can_rate=status in cases.FINISHED and next_seq(ratings) is not None,
    )


# --- back office ---------------------------------------------------------------------------------


def _review_follow_up(follow_up: FollowUp, today: date) -> ReviewFollowUp:
    return ReviewFollowUp(
        due_date=follow_up.due_date,
        status=FollowUpState(follow_up_state(follow_up.status, follow_up.due_date, today)),
        result=follow_up.result,
        done_at=follow_up.done_at,
        note=follow_up.note,
        done_by=follow_up.done_by,
        done_jurisdiction=follow_up.done_jurisdiction,
    )


def _from_rating(rating: Rating, today: date) -> ReviewRating:
    seen = _follow_up_view(rating.follow_up, today)
    return ReviewRating(
        rating_id=rating.rating_id,
        case_kind=rating.case_kind,
        case_id=rating.case_id,
        reference_no=rating.reference_no,
        level=rating.level,
        level_label=rating.label,
        comment=rating.comment,
        rated_at=rating.rated_at,
        region_code=rating.region_code,
        follow_up=ReviewFollowUp(**dict(seen)) if seen else None,
    )


def _from_follow_up(follow_up: FollowUp, today: date) -> ReviewRating:
    return ReviewRating(
        rating_id=follow_up.rating_id,
        case_kind=follow_up.case_kind,
        case_id=follow_up.case_id,
        reference_no=follow_up.reference_no,
        level=follow_up.level,
        level_label=LEVEL_LABELS[follow_up.level],
        comment=follow_up.comment,
        rated_at=follow_up.rated_at,
        region_code=follow_up.region_code,
        follow_up=_review_follow_up(follow_up, today),
    )


def review_ratings(
    who: Caller,
    follow_up: Collection[FollowUpState] | None,
    month: str | None,
    limit: int,
    cursor: str | None,
    region_code: str | None = None,
) -> ReviewRatingPage:
    """Ratings of the caller's jurisdiction: all of them (rated in ``month``, oldest first), or the
    follow-ups in the given states (due in ``month``, soonest due first)."""
    region = jurisdiction.scope(who, region_code)
    today = clock.today()
    if follow_up:
        states = [state.value for state in follow_up]
        found, next_cursor = repository.follow_ups_page(region, states, month, today, limit, cursor)
        items = [_from_follow_up(f, today) for f in found]
    else:
        ratings, next_cursor = repository.ratings_page(region, month, limit, cursor)
        items = [_from_rating(r, today) for r in ratings]
    return ReviewRatingPage(items=items, next_cursor=next_cursor)


def close_follow_up(who: Caller, rating_id: str, request: FollowUpRequest) -> ReviewRating:
    """回访办结: close the follow-up of a 差评 of the caller's jurisdiction. The citizen sees the result
    in the case, is told it (the event ``FollowUpDone``), and may rate the case once more."""
    follow_up = repository.get_follow_up(rating_id)
    if follow_up is None:
        raise errors.NotFound(FOLLOW_UP_NOT_FOUND)
    jurisdiction.require_visible(who, follow_up.region_code, FOLLOW_UP_NOT_FOUND)
    if follow_up.status == FollowUpStatus.DONE:
        raise errors.FollowUpClosed()
    now = clock.now()
    done = replace(
        follow_up,
        status=FollowUpStatus.DONE,
        result=request.result,
        note=request.note or None,
        done_at=clock.iso(now),
        done_by=who.principal,
        done_jurisdiction=who.jurisdiction,
    )
    repository.close(follow_up, done)
    metrics.add_metric(name="FollowUpDone", unit=MetricUnit.Count, value=1)
    logger.info("follow-up done", extra={"ratingId": rating_id, "onTime": now.date().isoformat() <= done.due_date})
    return _from_follow_up(done, now.date())
