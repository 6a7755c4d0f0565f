"""Time in China Standard Time: every date and month of the contract is in Asia/Shanghai (SPEC §2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# A fixed +08:00 offset: China has no daylight saving time since 1991, and this avoids loading
# tzdata on cold start.
CST = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    return datetime.now(CST)


def today() -> date:
    return now().date()


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, to the millisecond: sorts as text within one offset."""
    return moment.astimezone(CST).isoformat(timespec="milliseconds")


def month_of(moment: datetime) -> str:
    return moment.astimezone(CST).strftime("%Y-%m")


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (negative if reversed), by calendar day."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_on(birth: date, on: date) -> int:
    """Completed years of age on a date (a 29 Feb birthday counts on 1 Mar in common years)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years
