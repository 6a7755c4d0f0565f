"""A valid position maintenance request (岗位维护), shared by the unit, functional and integration tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from internship import checks, clock


def credit_code(seed: int = 1) -> str:
    """A valid GB 32100 unified social credit code; each seed gives another unit."""
    first17 = f"91140100{seed:09d}"
    return first17 + checks.credit_check_char(first17)


def position_body(**overrides: Any) -> dict[str, Any]:
    """Every field of ``POST /manage/positions``, valid, with ``overrides`` applied."""
    body: dict[str, Any] = {
        "title": "行政助理见习岗",
        "unitName": "太原市小店区示例科技有限公司",
        "unitCreditCode": credit_code(1),
        "regionCode": "140105",
        "address": "太原市小店区长治路1号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "行政管理、文秘",
        "headcount": 3,
        "monthlyAllowance": 1800,
        "periodMonths": 6,
        "contactName": "王老师",
        "contactPhone": "0351-7654321",
        "description": "协助办理日常行政事务。",
        "deadline": (clock.today() + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body
