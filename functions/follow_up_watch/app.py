"""Every hour: how many follow-ups of 差评 are past their due date (the metric ``FollowUpsOverdue``, alarmed)."""

from __future__ import annotations

from typing import Any

from internship.observability import lambda_entry
from internship.ratings import overdue


def report(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"overdue": overdue.report()}


lambda_handler = lambda_entry(report, correlation_path=None)
