"""The local run's demo positions: realistic, valid, listed, and seeded idempotently."""

from __future__ import annotations

from typing import Any

from internship import aws, checks
from internship.positions.models import PositionInput
from internship.settings import get_settings
from localrun import seed
from tests.functional.conftest import invoke_api

CITY_PREFIXES = {"1401": "太原", "1402": "大同", "1404": "长治", "1407": "晋中", "1408": "运城", "1410": "临汾"}


def _list(lambda_context: Any, **query: str) -> dict[str, Any]:
    status, body = invoke_api("GET", "/positions", lambda_context, query=query or None)
    assert status == 200
    answer: dict[str, Any] = body
    return answer


def test_seeding_twice_lists_the_demo_positions_once(aws_backend: None, lambda_context: Any) -> None:
    # Given the demo positions seeded twice (a restart)
    seed.seed(aws.dynamodb(), get_settings().table_name)
    seed.seed(aws.dynamodb(), get_settings().table_name)

    # When the public catalogue is read
    page = _list(lambda_context, limit="50")

    # Then at least 8 open positions are listed once each, soonest deadline first, across the big cities
    items = page["items"]
    ids = [item["positionId"] for item in items]
    assert len(ids) == len(set(ids)) >= 8
    assert page["nextCursor"] is None
    assert [item["deadline"] for item in items] == sorted(item["deadline"] for item in items)
    assert {item["regionCode"][:4] for item in items} >= set(CITY_PREFIXES)
    assert all(item["status"] == "OPEN" for item in items)

    # And one closed demo position exists but is not listed
    closed = [item for item in seed.demo_positions() if item["status"] == "CLOSED"]
    assert len(closed) == 1
    assert closed[0]["positionId"] not in ids


def test_demo_positions_pass_the_maintenance_rules() -> None:
    # demo_positions() validates each through PositionInput; the credit codes are also checked here.
    items = seed.demo_positions()
    assert len(items) >= 9
    for item in items:
        assert checks.normalize_credit_code(item["unitCreditCode"]) == item["unitCreditCode"]
        assert item["unitCreditCode"][2:8] == item["regionCode"]
        editable = {k: item[k] for k in _aliases()}
        PositionInput.model_validate(editable)


def _aliases() -> set[str]:
    return {field.alias or name for name, field in PositionInput.model_fields.items()}


def test_region_filter_on_demo_data(aws_backend: None, lambda_context: Any) -> None:
    seed.seed(aws.dynamodb(), get_settings().table_name)
    page = _list(lambda_context, regionCode="140213")
    assert [item["unitName"] for item in page["items"]] == ["大同古城文化旅游发展有限公司"]
