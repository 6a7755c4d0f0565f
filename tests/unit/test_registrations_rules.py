"""The rules of the 就业创业证 at their edges (Asia/Shanghai dates, passed in): 16th and 25th birthdays
today, graduation 24 and 25 months ago, a vocational graduate, the INELIGIBLE persona; and the
certificate number's shape."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from internship import checks, clock
from internship.registrations import certificates, rules
from internship.registrations.items import RegistrationKind
from localrun import dev_sso

TODAY = date(2026, 3, 1)


def birthday(age: int, today: date = TODAY) -> date:
    """The birth date whose ``age``-th birthday is ``today``."""
    return clock.add_months(today, -12 * age)


def month_ago(months: int, today: date = TODAY) -> str:
    return clock.add_months(today, -months).strftime("%Y-%m")


def path(found: list[rules.Path], category: str) -> rules.Path:
    return next(p for p in found if p.person_category == category)


# --- 失业登记: 16-24 years old today -------------------------------------------------------------


def test_the_16th_birthday_today_opens_unemployment_and_the_day_before_does_not():
    assert rules.youth_problem(birthday(16), TODAY) is None
    assert rules.youth_problem(birthday(16) + timedelta(days=1), TODAY) == rules.TOO_YOUNG


def test_the_25th_birthday_today_closes_unemployment_and_the_day_before_it_is_still_open():
    assert rules.youth_problem(birthday(25), TODAY) == rules.TOO_OLD
    assert rules.youth_problem(birthday(25) + timedelta(days=1), TODAY) is None


@given(birth=st.dates(min_value=date(1960, 1, 1), max_value=date(2020, 12, 31)))
def test_unemployment_opens_on_the_16th_birthday_and_closes_on_the_25th_for_any_birth_date(birth):
    # A birthday is the same day of the month (29 Feb: 1 Mar in common years, as clock.age_on counts)
    sixteenth, twenty_fifth = _birthday_of(birth, 16), _birthday_of(birth, 25)
    assert rules.youth_problem(birth, sixteenth - timedelta(days=1)) == rules.TOO_YOUNG
    assert rules.youth_problem(birth, sixteenth) is None
    assert rules.youth_problem(birth, twenty_fifth - timedelta(days=1)) is None
    assert rules.youth_problem(birth, twenty_fifth) == rules.TOO_OLD


def _birthday_of(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 Feb in a common year
        return date(birth.year + age, 3, 1)


def test_an_unemployment_registration_is_judged_on_today_and_a_future_unemployed_since():
    form = {"kind": RegistrationKind.UNEMPLOYMENT, "unemployed_since": TODAY + timedelta(days=1)}
    problems = rules.form_problems(form, birthday(30), TODAY)
    assert [(p.field, p.message) for p in problems] == [
        ("kind", rules.TOO_OLD),
        ("unemployedSince", rules.UNEMPLOYED_SINCE_FUTURE),
    ]
    assert rules.form_problems({**form, "unemployed_since": TODAY}, birthday(20), TODAY) == []
    missing = rules.form_problems({**form, "unemployed_since": None}, birthday(20), TODAY)
    assert [(p.field, p.message) for p in missing] == [("unemployedSince", rules.UNEMPLOYED_SINCE_REQUIRED)]


# --- 求职登记: left school in the last 24 months -------------------------------------------------


def test_graduation_24_months_ago_opens_job_seeking_and_25_months_ago_does_not():
    form = {"kind": RegistrationKind.JOB_SEEKING, "school": "山西大学", "major": "法学"}
    assert rules.form_problems({**form, "graduation_date": month_ago(24)}, birthday(40), TODAY) == []
    late = rules.form_problems({**form, "graduation_date": month_ago(25)}, birthday(40), TODAY)
    assert [(p.field, p.message) for p in late] == [("graduationDate", "离校已超过2年，不符合该人员类别的申请条件")]


def test_a_job_seeking_registration_needs_school_major_graduation_and_a_diploma():
    problems = rules.form_problems(
        {"kind": RegistrationKind.JOB_SEEKING, "school": None, "major": None, "graduation_date": None},
        birthday(22),
        TODAY,
    )
    assert {p.field for p in problems} == {"school", "major", "graduationDate"}
    assert rules.required_kinds(RegistrationKind.JOB_SEEKING) == ("ID_CARD", "DIPLOMA")
    assert rules.required_kinds(RegistrationKind.UNEMPLOYMENT) == ("ID_CARD",)


# --- 资格自查 ------------------------------------------------------------------------------------


def test_a_vocational_graduate_of_last_year_has_the_job_seeking_path_open():
    found = rules.paths(birthday(20), TODAY, month_ago(8))

    vocational = path(found, "VOCATIONAL_GRADUATE")
    assert (vocational.registration, vocational.eligible) == (RegistrationKind.JOB_SEEKING, True)
    assert "中职毕业生" in vocational.reasons[0]
    assert path(found, "UNEMPLOYED_YOUTH").eligible is True
    assert path(rules.paths(birthday(20), TODAY, month_ago(25)), "VOCATIONAL_GRADUATE").eligible is False


def test_graduate_paths_depend_on_the_graduation_month_the_profile_does_not_know():
    found = rules.paths(birthday(22), TODAY)
    for category in rules.GRADUATES:
        assert path(found, category).eligible is None
        assert path(found, category).reasons == [rules.GRADUATION_UNKNOWN]


def test_the_ineligible_persona_has_unemployment_closed_by_age_and_no_path_open():
    (persona,) = [p for p in dev_sso.demo_people(TODAY) if p.persona == "INELIGIBLE"]
    birth = checks.birth_date_of(persona.id_number)
    assert clock.age_on(birth, TODAY) == 30

    found = rules.paths(birth, TODAY)

    youth = path(found, "UNEMPLOYED_YOUTH")
    assert (youth.registration, youth.eligible, youth.reasons) == (
        RegistrationKind.UNEMPLOYMENT,
        False,
        [rules.TOO_OLD],
    )
    assert [p.eligible for p in found if p.person_category in rules.GRADUATES] == [None, None, None]
    assert not any(p.eligible for p in found)


# --- the certificate number ------------------------------------------------------------------------


def test_a_certificate_number_is_region_year_and_an_eight_digit_sequence():
    assert certificates.certificate_no("140105", "2026", 1) == "140105202600000001"
    assert certificates.certificate_no("140105", "2026", 99_999_999) == "140105202699999999"
    with pytest.raises(Exception, match="编号已用完"):
        certificates.certificate_no("140105", "2026", 100_000_000)
