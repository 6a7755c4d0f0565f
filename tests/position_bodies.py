"""A valid position maintenance request (岗位维护), shared by the unit, functional and integration tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from internship import checks, clock
from internship.positions.models import POSITION_EXAMPLE


def credit_code(seed: int = 1) -> str:
    """A valid GB 32100 unified social credit code; each seed gives another unit."""
    first17 = f"91140100{seed:09d}"
    return first17 + checks.credit_check_char(first17)


def position_body(**overrides: Any) -> dict[str, Any]:
    """Every field of ``POST /manage/positions``, valid (the documented example, its deadline a
    month ahead), with ``overrides`` applied."""
    deadline = (clock.today() + timedelta(days=30)).isoformat()
    return {**POSITION_EXAMPLE, "unitCreditCode": credit_code(1), "deadline": deadline, **overrides}
