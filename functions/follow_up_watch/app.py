"""Every hour: how many follow-ups of 差评 are past their due date (the metric ``FollowUpsOverdue``, alarmed)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from internship.observability import lambda_entry
from internship.ratings import overdue


def report(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"overdue": overdue.report()}


# The schedule's event id names every line (SPEC §5).
lambda_handler = lambda_entry(report, correlation_path=correlation_paths.EVENT_BRIDGE)
