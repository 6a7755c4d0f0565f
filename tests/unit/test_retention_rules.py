"""When a finished application expires (``internship.retention``): RetentionYears after it finished."""

from __future__ import annotations

from datetime import datetime

import pytest

from internship import clock, retention
from internship.settings import get_settings


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def expiry(status: str, finished: str, end_date: str | None = None) -> str:
    return clock.iso(datetime.fromtimestamp(retention.expires_at(status, at(finished), end_date), clock.CST))


@pytest.mark.parametrize("status", ["WITHDRAWN", "REJECTED"])
def test_withdrawn_and_rejected_expire_retention_years_after_they_finished(status):
    assert get_settings().retention_years == 3
    assert expiry(status, "2026-03-05T10:00:00.000+08:00") == "2029-03-05T10:00:00.000+08:00"
    # an end date is no reason to keep a case that never ran
    assert expiry(status, "2026-03-05T10:00:00.000+08:00", "2027-01-31") == "2029-03-05T10:00:00.000+08:00"


def test_an_approved_application_expires_counting_from_the_day_after_its_internship():
    assert expiry("APPROVED", "2026-03-05T10:00:00.000+08:00", "2026-12-31") == "2030-01-01T00:00:00.000+08:00"


def test_an_approval_after_the_internship_ended_counts_from_the_decision():
    assert expiry("APPROVED", "2027-02-01T09:30:00.000+08:00", "2026-12-31") == "2030-02-01T09:30:00.000+08:00"


def test_a_leap_day_finish_expires_on_the_last_day_of_february():
    assert expiry("REJECTED", "2028-02-29T12:00:00.000+08:00") == "2031-02-28T12:00:00.000+08:00"


def test_the_years_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RETENTION_YEARS", "1")
    get_settings.cache_clear()
    assert expiry("WITHDRAWN", "2026-03-05T10:00:00.000+08:00") == "2027-03-05T10:00:00.000+08:00"
