"""好差评 over the handlers: a finished case is rated once (once more after the follow-up of a 差评);
a 差评 is due 10 working days later for the case's bureau, overdue after that, closed by that bureau
only; the citizen sees the result in the case; counts by level in the review stats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from internship import clock
from internship.ratings import overdue
from tests.functional import review_fixtures as fx

pytestmark = pytest.mark.usefixtures("aws_backend")

# The Friday before 中秋 and 国庆 2026 (9/25-27, 10/1-7 off; Sunday 9/20 and Saturday 10/10 worked).
FRIDAY_BEFORE_THE_HOLIDAYS = datetime(2026, 9, 18, 16, 30, tzinfo=clock.CST)
TEN_WORKING_DAYS_LATER = "2026-10-09"


@pytest.fixture(autouse=True)
def _reviewers(aws_backend: None) -> None:
    fx.jurisdictions()


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def finished(status: str = "REJECTED", region_code: str = "140105") -> dict[str, Any]:
    return fx.application(fx.position(region_code=region_code), status=status, region_code=region_code)


def rate(invoke, item: dict[str, Any], level: int, comment: str | None = None, person: str | None = None):
    body: dict[str, Any] = {"level": level} | ({"comment": comment} if comment else {})
    return invoke("POST", f"/applications/{item['applicationId']}/rating", person=person or item["personId"], body=body)


def ratings(invoke, principal: str, **query: str) -> dict[str, Any]:
    status, body = invoke("GET", "/review/ratings", principal=principal, query=query)
    assert status == 200, body
    return body


def close(invoke, principal: str, rating_id: str, result: str = "已电话联系申请人说明审核依据"):
    body = {"result": result, "note": "经办人：王某"}
    return invoke("POST", f"/review/ratings/{rating_id}/follow-up", principal=principal, body=body)


def test_a_case_is_rated_only_once_it_is_finished_and_only_once(invoke):
    # Before a decision: 409 NOT_FINISHED
    item = finished("PENDING")
    status, body = rate(invoke, item, 5)
    assert (status, body["code"]) == (409, "NOT_FINISHED")
    # Finished: 201 with the level's label; the comment is the one free text, 200 characters at most
    item = finished("APPROVED")
    status, body = rate(invoke, item, 4, "办理很快" * 51)
    assert (status, body["errors"][0]["field"]) == (422, "comment")
    status, body = rate(invoke, item, 4, "办理很快")
    assert status == 201, body
    assert (body["level"], body["levelLabel"], body["followUp"]) == (4, "满意", None)
    # A second time: 409 ALREADY_RATED; another person: 404; a level outside 1-5: 422
    assert rate(invoke, item, 5)[1]["code"] == "ALREADY_RATED"
    assert rate(invoke, item, 5, person="someone-else")[0] == 404
    assert rate(invoke, finished("WITHDRAWN"), 6)[0] == 422
    # and the case's detail shows the rating and that it may not be rated again
    status, detail = invoke("GET", f"/applications/{item['applicationId']}", person=item["personId"])
    assert [(r["level"], r["levelLabel"], r["comment"]) for r in detail["ratings"]] == [(4, "满意", "办理很快")]
    assert detail["canRate"] is False


def test_a_bad_rating_on_the_friday_before_a_holiday_is_due_ten_working_days_later(invoke, monkeypatch):
    at(monkeypatch, FRIDAY_BEFORE_THE_HOLIDAYS)
    item = finished("REJECTED")
    status, body = rate(invoke, item, 2, "等了很久")
    assert status == 201, body
    assert body["levelLabel"] == "不满意"
    assert body["followUp"] == {"dueDate": TEN_WORKING_DAYS_LATER, "status": "OPEN", "result": None, "doneAt": None}
    # Taiyuan's bureau (the case's) sees it open; the province too; Datong's does not
    (line,) = ratings(invoke, fx.TAIYUAN, followUp="OPEN")["items"]
    assert (line["referenceNo"], line["level"], line["followUp"]["dueDate"]) == (
        item["referenceNo"], 2, TEN_WORKING_DAYS_LATER)  # fmt: skip
    assert [r["ratingId"] for r in ratings(invoke, fx.REVIEWER, followUp="OPEN,OVERDUE")["items"]] == [line["ratingId"]]
    assert ratings(invoke, fx.DATONG, followUp="OPEN,OVERDUE,DONE")["items"] == []
    # On its due date it is still open; the working day after, it is overdue
    at(monkeypatch, datetime(2026, 10, 9, 23, 59, tzinfo=clock.CST))
    assert len(ratings(invoke, fx.TAIYUAN, followUp="OPEN")["items"]) == 1
    assert overdue.report() == 0
    at(monkeypatch, datetime(2026, 10, 10, 0, 1, tzinfo=clock.CST))
    assert ratings(invoke, fx.TAIYUAN, followUp="OPEN")["items"] == []
    (late,) = ratings(invoke, fx.TAIYUAN, followUp="OVERDUE")["items"]
    assert late["followUp"]["status"] == "OVERDUE"
    assert overdue.report() == 1
    # and the month filter of follow-ups is the month they are due in
    assert len(ratings(invoke, fx.TAIYUAN, followUp="OVERDUE", month="2026-10")["items"]) == 1
    assert ratings(invoke, fx.TAIYUAN, followUp="OVERDUE", month="2026-09")["items"] == []


def test_a_closed_follow_up_lets_the_citizen_rate_again_once_and_shows_its_result(invoke):
    item = finished("REJECTED")
    rating_id = rate(invoke, item, 1, "原因说明不清楚")[1]["ratingId"]
    # Datong's bureau can neither see nor close Taiyuan's follow-up
    assert close(invoke, fx.DATONG, rating_id)[0] == 404
    # Taiyuan's closes it, once
    status, body = close(invoke, fx.TAIYUAN, rating_id)
    assert status == 200, body
    assert (body["followUp"]["status"], body["followUp"]["doneBy"]) == ("DONE", fx.TAIYUAN)
    assert close(invoke, fx.TAIYUAN, rating_id)[1]["code"] == "FOLLOW_UP_CLOSED"
    assert [r["ratingId"] for r in ratings(invoke, fx.TAIYUAN, followUp="DONE")["items"]] == [rating_id]
    # The citizen sees the result (not the bureau's note) and may rate once more
    status, detail = invoke("GET", f"/applications/{item['applicationId']}", person=item["personId"])
    (first,) = detail["ratings"]
    assert first["followUp"]["status"] == "DONE"
    assert first["followUp"]["result"] == "已电话联系申请人说明审核依据"
    assert "note" not in first["followUp"]
    assert detail["canRate"] is True
    status, second = rate(invoke, item, 4)
    assert status == 201, second
    assert rate(invoke, item, 5)[1]["code"] == "ALREADY_RATED"
    # and the back office's list of all ratings shows both, the first with its follow-up
    lines = ratings(invoke, fx.TAIYUAN)["items"]
    assert [(line["level"], (line["followUp"] or {}).get("status")) for line in lines] == [(1, "DONE"), (4, None)]


def test_an_unknown_rating_and_a_good_rating_have_no_follow_up_to_close(invoke):
    good = rate(invoke, finished("APPROVED"), 5)[1]["ratingId"]
    assert close(invoke, fx.TAIYUAN, good)[0] == 404
    assert close(invoke, fx.TAIYUAN, "no-such-rating")[0] == 404
    status, body = invoke("GET", "/review/ratings", principal=fx.TAIYUAN, query={"followUp": "LATE"})
    assert (status, body["errors"][0]["field"]) == (422, "followUp")


def test_follow_ups_in_several_states_are_read_range_after_range_one_page_for_one_page(invoke, monkeypatch, reads):
    # Given 差评 of four cases: one overdue, two open, one done, on 2026-10-20
    def bad_rating(moment: datetime) -> str:
        at(monkeypatch, moment)
        return rate(invoke, finished("REJECTED"), 1, "不满意")[1]["ratingId"]

    overdue_one = bad_rating(datetime(2026, 9, 1, 9, tzinfo=clock.CST))
    done = bad_rating(datetime(2026, 9, 2, 9, tzinfo=clock.CST))
    open_one = bad_rating(datetime(2026, 10, 12, 9, tzinfo=clock.CST))
    open_two = bad_rating(datetime(2026, 10, 13, 9, tzinfo=clock.CST))
    assert close(invoke, fx.TAIYUAN, done)[0] == 200
    at(monkeypatch, datetime(2026, 10, 20, 9, tzinfo=clock.CST))

    for principal in (fx.TAIYUAN, fx.REVIEWER):  # the city's bureau and the province's
        # When all of them are read two at a time
        reads.queries.clear()
        first = ratings(invoke, principal, followUp="OPEN,OVERDUE,DONE", limit="2")
        second = ratings(invoke, principal, followUp="OPEN,OVERDUE,DONE", limit="2", cursor=first["nextCursor"])
        # Then the overdue come first, then the open, then the done, each soonest due first
        lines = first["items"] + second["items"]
        assert [line["ratingId"] for line in lines] == [overdue_one, open_one, open_two, done]
        assert [line["followUp"]["status"] for line in lines] == ["OVERDUE", "OPEN", "OPEN", "DONE"]
        # and every Query read what it answered: the open range and the done range, one after the other
        assert reads.exact
        assert sum(n for n, _ in reads.queries) == 4
        # The overdue and the done, two ranges with the open between them, are read the same way
        reads.queries.clear()
        lines = ratings(invoke, principal, followUp="OVERDUE,DONE")["items"]
        assert [line["ratingId"] for line in lines] == [overdue_one, done]
        assert reads.queries == [(1, 1), (1, 1)]
