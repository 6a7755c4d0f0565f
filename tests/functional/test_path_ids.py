"""Every id in a path has one type and one length limit, on every route (SPEC §4: never a 500).

Real DynamoDB refuses keys over 2,048 bytes with a ValidationException, which would surface as a
500 of ours; moto does not, so the limit is asserted on what the client sees: a 422 on the id.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from localrun.events import api_event
from tests.conftest import load_handler
from tests.functional.review_fixtures import reviewer
from tests.position_bodies import position_body

CITIZEN = {"authorizer": {"personId": "person-alice", "authMethod": "bearer"}}
OPERATOR_ARN = "arn:aws:iam::123456789012:user/host-unit-operator"
OPERATOR = {"identity": {"userArn": OPERATOR_ARN}}
DECISION = json.dumps({"decision": "APPROVED"})
POSITION = json.dumps(position_body(version=1))  # valid: the id, not the body, decides the answer

# (function, method, resource, parameter, body, who)
ROUTES = [
    ("positions", "GET", "/positions/{positionId}", "positionId", None, {}),
    ("manage_positions", "PUT", "/manage/positions/{positionId}", "positionId", POSITION, OPERATOR),
    ("manage_positions", "POST", "/manage/positions/{positionId}/close", "positionId", None, OPERATOR),
    ("review", "GET", "/review/applications/{applicationId}", "applicationId", None, OPERATOR),
    ("review", "POST", "/review/applications/{applicationId}/decision", "applicationId", DECISION, OPERATOR),
    ("attachments", "POST", "/attachments/{attachmentId}/confirm", "attachmentId", None, CITIZEN),
    ("query_applications", "GET", "/applications/{applicationId}", "applicationId", None, CITIZEN),
    ("withdraw_application", "POST", "/applications/{applicationId}/withdraw", "applicationId", None, CITIZEN),
]  # fmt: skip


def call(route: tuple[Any, ...], value: str, context: Any) -> tuple[int, dict[str, Any]]:
    function, method, resource, parameter, body, who = route
    path = resource.replace("{" + parameter + "}", value)
    headers = {"Content-Type": "application/json"} if body else None
    event = api_event(
        method, path, resource=resource, path_parameters={parameter: value}, body=body, headers=headers, **who
    )
    answer = load_handler(function).lambda_handler(event, context)
    return answer["statusCode"], json.loads(answer["body"])


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[1]} {r[2]}" for r in ROUTES])
@pytest.mark.parametrize("length", [65, 2049])
def test_an_over_long_path_id_is_422_on_the_id_on_every_route(aws_backend, lambda_context, route, length) -> None:
    status, body = call(route, "a" * length, lambda_context)
    assert status == 422, body
    assert body["code"] == "VALIDATION_FAILED"
    assert route[3] in [e["field"] for e in body["errors"]]


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[1]} {r[2]}" for r in ROUTES])
def test_an_id_at_the_limit_is_looked_up_and_not_found(aws_backend, lambda_context, route) -> None:
    reviewer(OPERATOR_ARN, "14")  # the province: the id, not the jurisdiction, decides the answer
    status, body = call(route, "a" * 64, lambda_context)
    assert (status, body["code"]) == (404, "NOT_FOUND"), body
