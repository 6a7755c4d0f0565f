"""Every id in a path has one type and one length limit, on every route (SPEC §4: never a 500).

Real DynamoDB refuses keys over 2,048 bytes with a ValidationException, which would surface as a
500 of ours; moto does not, so the limit is asserted on what the client sees: a 422 on the id.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.functional.conftest import Invoke
from tests.functional.review_fixtures import reviewer
from tests.position_bodies import position_body

CITIZEN = {"person": "person-alice"}
OPERATOR_ARN = "arn:aws:iam::123456789012:user/host-unit-operator"
OPERATOR = {"principal": OPERATOR_ARN}
DECISION = json.dumps({"decision": "APPROVED"})
POSITION = json.dumps(position_body(version=1))  # valid: the id, not the body, decides the answer

# (method, resource, parameter, body, who)
ROUTES = [
    ("GET", "/positions/{positionId}", "positionId", None, {}),
    ("PUT", "/manage/positions/{positionId}", "positionId", POSITION, OPERATOR),
    ("POST", "/manage/positions/{positionId}/close", "positionId", None, OPERATOR),
    ("GET", "/review/applications/{applicationId}", "applicationId", None, OPERATOR),
    ("POST", "/review/applications/{applicationId}/decision", "applicationId", DECISION, OPERATOR),
    ("POST", "/attachments/{attachmentId}/confirm", "attachmentId", None, CITIZEN),
    ("GET", "/applications/{applicationId}", "applicationId", None, CITIZEN),
    ("POST", "/applications/{applicationId}/withdraw", "applicationId", None, CITIZEN),
]  # fmt: skip


def call(invoke: Invoke, route: tuple[Any, ...], value: str) -> tuple[int, dict[str, Any]]:
    method, resource, parameter, body, who = route
    headers = {"Content-Type": "application/json"} if body else None
    return invoke(method, resource.replace("{" + parameter + "}", value), body=body, headers=headers, **who)


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
@pytest.mark.parametrize("length", [65, 2049])
def test_an_over_long_path_id_is_422_on_the_id_on_every_route(aws_backend, invoke, route, length) -> None:
    status, body = call(invoke, route, "a" * length)
    assert status == 422, body
    assert body["code"] == "VALIDATION_FAILED"
    assert route[2] in [e["field"] for e in body["errors"]]


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_an_id_at_the_limit_is_looked_up_and_not_found(aws_backend, invoke, route) -> None:
    reviewer(OPERATOR_ARN, "14")  # the province: the id, not the jurisdiction, decides the answer
    status, body = call(invoke, route, "a" * 64)
    assert (status, body["code"]) == (404, "NOT_FOUND"), body
