"""Overdue follow-ups (逾期未回访): counted every hour by ``FollowUpWatchFunction`` into the CloudWatch
metric ``FollowUpsOverdue``, whose alarm tells operations that a bureau has let a 差评 pass its 10
working days. A scheduled count, not the queue consumer: a follow-up becomes overdue by the clock,
with no event to react to; the count is one COUNT Query per city (11 a run, 24 runs a day)."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from internship import clock
from internship.observability import logger, metrics
from internship.ratings import repository


def report() -> int:
    """Count the follow-ups still open after their due date (Asia/Shanghai) and put the metric."""
    by_city = repository.overdue_count(clock.today())
    total = sum(by_city.values())
    metrics.add_metric(name="FollowUpsOverdue", unit=MetricUnit.Count, value=total)
    logger.info("overdue follow-ups counted", extra={"total": total, "byCity": {c: n for c, n in by_city.items() if n}})
    return total
