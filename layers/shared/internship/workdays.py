"""Working days (工作日) in China, for time limits such as a 差评's follow-up (10 working days).

A working day is Monday to Friday, except the public holidays (法定节假日, with the days the State
Council adds to them), plus the weekend days it turns into working days (调休上班). Both lists are
configuration, not code: the State Council publishes next year's arrangement every November
(国务院办公厅关于某年部分节假日安排的通知), and the operator adds it to the template parameters
``PublicHolidays`` and ``MakeUpWorkdays`` (README "好差评"). Dates are Asia/Shanghai dates.

Written by hand (a dozen lines): the calendar libraries on PyPI (``chinese-calendar``,
``workalendar``) ship the lists inside the package, so a new year's arrangement would need a new
release of the layer instead of a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    holidays: frozenset[date] = frozenset()  # public holidays and the days added to them
    makeup_workdays: frozenset[date] = frozenset()  # weekend days worked instead (调休)

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
        if days < 1:
            raise ValueError("days must be at least 1")
        day, counted = start, 0
        while counted < days:
            day += timedelta(days=1)
            counted += self.is_working_day(day)
        return day


def parse_dates(value: str) -> frozenset[date]:
    """``2026-01-01,2026-01-02`` → the dates; ``ValueError`` naming the first that is not one."""
    found = set()
    for text in filter(None, (part.strip() for part in value.split(","))):
        try:
            found.add(date.fromisoformat(text))
        except ValueError:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return frozenset(found)
