"""How long a finished application is kept (PIPL: no longer than needed), as a DynamoDB TTL.

An application is finished when it is WITHDRAWN or REJECTED (from that moment) or APPROVED (from
the end of the internship, ``form.endDate``, or the decision if that is later). ``RetentionYears``
(template parameter, ``RETENTION_YEARS``) after that, DynamoDB's TTL deletes the application item
and its finishing history entry; the stream's TTL ``REMOVE`` becomes the ``ApplicationExpired``
event (``internship.events.derive``), whose publisher also marks the attachments for the bucket's
lifecycle rule. See docs/operations.md, "Retention".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from internship import clock
from internship.settings import get_settings


def expires_at(status: str, finished_at: datetime, end_date: str | None = None) -> int:
    """Epoch seconds at which an application that finished as ``status`` is deleted."""
    start = finished_at.astimezone(clock.CST)
    if status == "APPROVED" and end_date:
        # The day after the internship's last day, at midnight in China Standard Time.
        internship_over = datetime.combine(date.fromisoformat(end_date) + timedelta(days=1), time(), clock.CST)
        start = max(start, internship_over)
    years = get_settings().retention_years
    day = clock.add_months(start.date(), 12 * years)
    return int(datetime.combine(day, start.timetz()).timestamp())
