"""好差评 as events for the provincial 好差评 system, and in the review counts (pure): the reference
number, the level and the dates, never the comment, the result, the note or who rated."""

from __future__ import annotations

import json
from dataclasses import replace

from internship.events import counts
from internship.events.derive import domain_event
from internship.ratings.items import FollowUp, Rating
from tests.functional.stream_records import record

COMMENT, RESULT, NOTE = "审核太慢，电话13812345678打不通", "已回电致歉并说明时限", "经办人王某"
RATING = Rating(rating_id="r1", case_kind="APPLICATION", case_id="a1", seq=1, reference_no="JX20261207A1",
                person_id="p1", level=2, comment=COMMENT, rated_at="2026-09-18T16:30:00.000+08:00",
                month="2026-09", region_code="140105",
                follow_up={"status": "OPEN", "dueDate": "2026-10-09", "result": None, "doneAt": None})  # fmt: skip
FOLLOW_UP = FollowUp(rating_id="r1", case_kind="APPLICATION", case_id="a1", seq=1, reference_no="JX20261207A1",
                     level=2, comment=COMMENT, rated_at=RATING.rated_at, region_code="140105",
                     due_date="2026-10-09")  # fmt: skip


def no_personal_data(detail: dict[str, object]) -> None:
    text = json.dumps(detail, ensure_ascii=False)
    for secret in (COMMENT, RESULT, NOTE, "13812345678", "p1", "arn:aws"):
        assert secret not in text


def test_a_rating_is_submitted_with_its_case_level_and_due_date():
    event = domain_event(record("INSERT", new=RATING.item()))
    assert event is not None
    assert event.detail_type == "RatingSubmitted"
    assert {k: event.detail[k] for k in ("ratingId", "caseKind", "caseId", "referenceNo", "level", "levelLabel")} == {
        "ratingId": "r1", "caseKind": "APPLICATION", "caseId": "a1", "referenceNo": "JX20261207A1", "level": 2,
        "levelLabel": "不满意"}  # fmt: skip
    assert (event.detail["regionCode"], event.detail["followUpDueDate"]) == ("140105", "2026-10-09")
    no_personal_data(event.detail)


def test_a_follow_up_closed_is_done_with_whether_it_was_on_time():
    done = replace(FOLLOW_UP, status="DONE", result=RESULT, note=NOTE, done_at="2026-10-12T09:00:00.000+08:00",
                   done_by="arn:aws:iam::123456789012:user/taiyuan-wang", done_jurisdiction="1401")  # fmt: skip
    event = domain_event(record("MODIFY", new=done.item(), old=FOLLOW_UP.item()))
    assert event is not None
    assert event.detail_type == "FollowUpDone"
    assert (event.detail["dueDate"], event.detail["onTime"], event.detail["level"]) == ("2026-10-09", False, 2)
    no_personal_data(event.detail)
    # opening one is no event (its rating's INSERT is), nor is a rating's copy of it changing
    assert domain_event(record("INSERT", new=FOLLOW_UP.item())) is None
    assert domain_event(record("MODIFY", new=RATING.item(), old=RATING.item())) is None


def test_a_rating_counts_once_by_level_in_its_month_and_place():
    moves = counts.deltas(record("INSERT", new=RATING.item()))
    assert moves[("140105", "2026-09")] == {"RATING#2": 1}
    assert moves[("1401", "2026-09")] == {"RATING#2": 1, "140105#RATING#2": 1}
    assert moves[("14", "2026-09")] == {"RATING#2": 1, "1401#RATING#2": 1}
    # its follow-up's copy changing moves nothing; its case's retention ending takes it back out
    closed = replace(RATING, follow_up={**(RATING.follow_up or {}), "status": "DONE"})
    assert counts.deltas(record("MODIFY", new=closed.item(), old=RATING.item())) == {}
    assert counts.deltas(record("REMOVE", old=RATING.item()))[("14", "2026-09")]["RATING#2"] == -1
