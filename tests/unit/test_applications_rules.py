"""Eligibility and date rules of applications, property-based where the calendar is tricky."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from internship import checks, clock, keys
from internship.applications import repository, rules
from internship.applications.service import reference_number
from internship.errors import FieldError, ValidationFailed

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


# --- ID number check digit (GB 11643-1999) ------------------------------------------------------


@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), serial=st.integers(0, 999))
def test_an_id_number_with_its_check_digit_is_accepted_in_either_case(birth: date, serial: int) -> None:
    first17 = f"140105{birth:%Y%m%d}{serial:03d}"
    number = first17 + checks.id_check_char(first17)
    assert checks.normalize_id_number(number.lower()) == number
    assert checks.birth_date_of(number) == birth


@given(birth=dates, serial=st.integers(0, 999), wrong=st.sampled_from("0123456789X"))
def test_any_other_check_digit_is_refused(birth: date, serial: int, wrong: str) -> None:
    first17 = f"140105{birth:%Y%m%d}{serial:03d}"
    assume(wrong != checks.id_check_char(first17))
    with pytest.raises(ValueError, match="校验位"):
        checks.normalize_id_number(first17 + wrong)


# --- months in Asia/Shanghai --------------------------------------------------------------------


@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2080, 1, 1), timezones=st.just(UTC)))
def test_the_month_of_submission_is_the_month_in_shanghai(moment: datetime) -> None:
    assert clock.month_of(moment) == (moment + timedelta(hours=8)).strftime("%Y-%m")


def test_the_last_utc_evening_of_a_month_is_already_next_month_in_shanghai() -> None:
    assert clock.month_of(datetime(2025, 1, 31, 16, 0, tzinfo=UTC)) == "2025-02"
    assert clock.month_of(datetime(2025, 1, 31, 15, 59, 59, tzinfo=UTC)) == "2025-01"
    assert reference_number(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)).startswith("JX20260101")


# --- graduation within 2 years (离校2年内) -------------------------------------------------------


@given(today=dates, months_ago=st.integers(-30, 60), category=st.sampled_from(sorted(rules.GRADUATE_CATEGORIES)))
def test_graduates_left_school_this_month_or_up_to_24_months_before(today: date, months_ago: int, category: str):
    graduated = clock.add_months(today.replace(day=1), -months_ago).strftime("%Y-%m")
    problem = rules.graduation_problem(category, graduated, today)
    if months_ago < 0:
        assert problem == "毕业时间不能晚于当前月份"
    elif months_ago > 24:
        assert problem == "离校已超过2年，不符合该人员类别的申请条件"
    else:
        assert problem is None


@given(today=dates)
def test_the_first_and_last_day_of_a_month_count_as_that_month(today: date) -> None:
    first = today.replace(day=1)
    last = clock.add_months(first, 1) - timedelta(days=1)
    two_years = clock.add_months(first, -24).strftime("%Y-%m")
    for day in (first, last):
        assert rules.graduation_problem("COLLEGE_GRADUATE", two_years, day) is None
        assert rules.graduation_problem("COLLEGE_GRADUATE", day.strftime("%Y-%m"), day) is None


def test_graduates_must_give_a_month_youth_need_not() -> None:
    assert rules.graduation_problem("VOCATIONAL_GRADUATE", None, date(2025, 3, 1)) == "请填写毕业时间"
    assert rules.graduation_problem("UNEMPLOYED_YOUTH", None, date(2025, 3, 1)) is None


# --- 16-24岁失业青年 ------------------------------------------------------------------------------


@given(birth=dates, start=dates)
def test_youth_are_at_least_16_and_under_25_on_the_start_date(birth: date, start: date) -> None:
    sixteenth = clock.add_months(birth, 16 * 12)
    twenty_fifth = clock.add_months(birth, 25 * 12)
    if (birth.month, birth.day) == (2, 29):  # a leap-day birthday falls on 1 March in common years
        sixteenth = sixteenth if sixteenth.day == 29 else sixteenth + timedelta(days=1)
        twenty_fifth = twenty_fifth if twenty_fifth.day == 29 else twenty_fifth + timedelta(days=1)
    eligible = sixteenth <= start < twenty_fifth
    assert (rules.age_problem("UNEMPLOYED_YOUTH", birth, start) is None) is eligible
    assert rules.age_problem("COLLEGE_GRADUATE", birth, start) is None


@pytest.mark.parametrize(
    ("birth", "start", "eligible"),
    [
        (date(2008, 2, 29), date(2024, 2, 28), False),  # the day before a leap-day 16th birthday
        (date(2008, 2, 29), date(2024, 2, 29), True),  # 16 on the leap day itself
        (date(2009, 2, 28), date(2025, 2, 28), True),
        (date(2000, 2, 29), date(2025, 2, 28), True),  # still 24: the 25th birthday is on 1 March
        (date(2000, 2, 29), date(2025, 3, 1), False),
        (date(2001, 6, 15), date(2026, 6, 14), True),
        (date(2001, 6, 15), date(2026, 6, 15), False),  # the 25th birthday
    ],
)
def test_birthday_edges(birth: date, start: date, eligible: bool) -> None:
    assert (rules.age_problem("UNEMPLOYED_YOUTH", birth, start) is None) is eligible


# --- 3 to 12 months -----------------------------------------------------------------------------


@given(start=dates)
def test_the_period_is_3_to_12_months_inclusive(start: date) -> None:
    three, twelve = clock.add_months(start, 3), clock.add_months(start, 12)
    assert rules.period_problem(start, three) is None
    assert rules.period_problem(start, twelve) is None
    assert rules.period_problem(start, three - timedelta(days=1)) == "见习期限应为3至12个月"
    assert rules.period_problem(start, twelve + timedelta(days=1)) == "见习期限应为3至12个月"
    assert rules.period_problem(start, start + timedelta(days=1)) == "见习期限应为3至12个月"


@given(start=dates, days=st.integers(-400, 0))
def test_an_end_on_or_before_the_start_says_so(start: date, days: int) -> None:
    assert rules.period_problem(start, start + timedelta(days=days)) == "见习结束日期应晚于开始日期"


@given(start=dates, days=st.integers(-400, 800))
def test_the_period_rule_agrees_with_whole_months(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    inside = clock.add_months(start, 3) <= end <= clock.add_months(start, 12)
    assert (rules.period_problem(start, end) is None) is inside


TODAY = date(2026, 3, 15)


def test_the_period_is_judged_on_the_end_date_field() -> None:
    # The start has its own rules on its own field; the period is fixed by moving the end
    form = {"person_category": "COLLEGE_GRADUATE", "school": "山西大学", "major": "会计",
            "graduation_date": "2025-07", "start_date": date(2026, 4, 1), "end_date": date(2026, 3, 31)}  # fmt: skip
    assert rules.form_problems(form, TODAY) == [FieldError("endDate", "见习结束日期应晚于开始日期")]
    form["end_date"] = date(2026, 5, 1)
    assert rules.form_problems(form, TODAY) == [FieldError("endDate", "见习期限应为3至12个月")]
    form["start_date"] = date(2026, 3, 14)
    assert rules.form_problems(form, TODAY) == [
        FieldError("startDate", "见习开始日期不能早于申报当天"),
        FieldError("endDate", "见习期限应为3至12个月"),
    ]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("UNEMPLOYED_YOUTH", []),
        (
            "COLLEGE_GRADUATE",
            [("school", "请填写毕业院校"), ("major", "请填写所学专业"), ("graduationDate", "请填写毕业时间")],
        ),
        (
            "VOCATIONAL_GRADUATE",
            [("school", "请填写毕业院校"), ("major", "请填写所学专业"), ("graduationDate", "请填写毕业时间")],
        ),
        (
            "RETURNED_GRADUATE",
            [("school", "请填写毕业院校"), ("major", "请填写所学专业"), ("graduationDate", "请填写毕业时间")],
        ),
    ],
)
def test_only_graduates_must_give_school_major_and_graduation_month(category: str, expected: list[tuple[str, str]]):
    form = {"person_category": category, "school": None, "major": None, "graduation_date": None}
    assert rules.form_problems(form, TODAY) == [FieldError(field, message) for field, message in expected]


def test_a_malformed_school_is_not_judged_again_as_missing() -> None:
    # well_formed_parts leaves a malformed field out: its own message already says what is wrong
    form = {"person_category": "COLLEGE_GRADUATE", "major": "会计", "graduation_date": "2025-07"}
    assert rules.form_problems(form, TODAY) == []


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (date(2024, 2, 29), date(2025, 2, 28), True),  # 12 months from a leap day
        (date(2024, 2, 29), date(2025, 3, 1), False),
        (date(2024, 11, 30), date(2025, 2, 28), True),  # 3 months, clamped to February's end
        (date(2024, 11, 30), date(2025, 2, 27), False),
        (date(2025, 1, 31), date(2025, 4, 30), True),
    ],
)
def test_period_edges_on_short_months(start: date, end: date, ok: bool) -> None:
    assert (rules.period_problem(start, end) is None) is ok


# --- attachments --------------------------------------------------------------------------------


def attachment(kind: str, owner: str = "me", status: str = "UPLOADED", bound: str | None = None) -> dict[str, str]:
    item = {"kind": kind, "ownerId": owner, "status": status}
    return item | ({"applicationId": bound} if bound else {})


def test_a_complete_graduate_set_passes_and_youth_need_no_diploma() -> None:
    found = {"a": attachment("ID_CARD"), "b": attachment("EMPLOYMENT_CERTIFICATE"), "c": attachment("DIPLOMA")}
    assert rules.attachment_problems(rules.required_kinds("COLLEGE_GRADUATE"), ["a", "b", "c"], found, "me", None) == []
    assert rules.attachment_problems(rules.required_kinds("UNEMPLOYED_YOUTH"), ["a", "b"], found, "me", None) == []
    assert rules.attachment_problems(rules.required_kinds("RETURNED_GRADUATE"), ["a", "b"], found, "me", None) == [
        "请上传毕业证书"
    ]


def test_attachments_bound_to_the_copied_application_may_be_reused() -> None:
    found = {"a": attachment("ID_CARD", bound="old"), "b": attachment("EMPLOYMENT_CERTIFICATE", bound="old")}
    assert rules.attachment_problems(rules.required_kinds("UNEMPLOYED_YOUTH"), ["a", "b"], found, "me", "old") == []
    assert len(rules.attachment_problems(rules.required_kinds("UNEMPLOYED_YOUTH"), ["a", "b"], found, "me", None)) == 2


def test_someone_elses_attachment_reads_as_missing_and_duplicates_are_refused() -> None:
    found = {"a": attachment("ID_CARD", owner="other"), "b": attachment("EMPLOYMENT_CERTIFICATE")}
    problems = rules.attachment_problems(rules.required_kinds("UNEMPLOYED_YOUTH"), ["a", "b", "b"], found, "me", None)
    assert problems == ["附件不能重复提交", "第1个附件不存在或已过期，请重新上传", "请上传身份证"]


@given(others=st.integers(0, 8))
def test_at_most_five_other_documents(others: int) -> None:
    found = {"a": attachment("ID_CARD"), "b": attachment("EMPLOYMENT_CERTIFICATE")}
    found |= {f"o{n}": attachment("OTHER") for n in range(others)}
    problems = rules.attachment_problems(rules.required_kinds("UNEMPLOYED_YOUTH"), list(found), found, "me", None)
    assert (problems == ["其他材料最多5份"]) is (others > 5)


# --- reference numbers and cursors --------------------------------------------------------------


def test_reference_numbers_are_jx_date_and_six_digits() -> None:
    number = reference_number(datetime(2025, 3, 6, 10, 0, tzinfo=clock.CST))
    assert number.startswith("JX20250306")
    assert len(number) == 16
    assert number[2:].isdigit()


@given(submitted=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)), app=st.uuids())
def test_a_cursor_round_trips_only_within_its_query(submitted: datetime, app: object) -> None:
    scope = repository.list_scope("p1", "PENDING", None)
    listing = keys.listing_sk(clock.iso(submitted.replace(tzinfo=clock.CST)), str(app))
    last = {**keys.application(str(app)), "gsi2pk": scope.partition, "gsi2sk": listing}
    cursor = scope.encode(last)
    assert cursor is not None
    assert scope.decode(cursor) == last
    with pytest.raises(ValidationFailed):
        repository.list_scope("p2", "PENDING", None).decode(cursor)
    with pytest.raises(ValidationFailed):
        repository.list_scope("p1", None, None).decode(cursor)


@given(garbage=st.text(max_size=60))
def test_a_tampered_cursor_is_a_validation_error(garbage: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        repository.list_scope("p1", None, "2025-03").decode(garbage)
    assert raised.value.errors[0].field == "cursor"
