"""The functional tests' one way to call a function: ``invoke``, an API Gateway proxy event routed by
the gateway's own matching (``localrun.routing``), so the method and path name the function, its
resource and its path parameters, as deployed; only the caller is the test's to give.

    def test_…(invoke):
        status, body = invoke("GET", f"/applications/{application_id}", person=person_id)
        status, body = invoke("POST", "/manage/positions", principal=OPERATOR_ARN, body={…})
        status, body = invoke("GET", "/unit/positions", unit=UNIT_CREDIT_CODE)

``person`` is a citizen's session (the authorizer's context); ``unit`` a host unit's session (its
credit code, or a whole ``internship.callers.Caller``); ``principal`` an IAM user's ARN (the back
office's SigV4 identity). A path parameter holding a slash (an IAM ARN) is written ``%2F``, as
a client sends it. ``call_api`` is the same call with the whole proxy answer, for helpers that take
the Lambda context themselves.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from internship.callers import Caller, Kind
from localrun import routing, template
from localrun.events import api_event

Invoke = Callable[..., tuple[int, Any]]


@functools.cache
def _routes() -> list[template.Route]:
    return template.routes()


def call_api(
    method: str,
    path: str,
    context: Any,
    *,
    person: str | None = None,
    unit: str | Caller | None = None,
    principal: str | None = None,
    body: Any = None,
    **event: Any,
) -> dict[str, Any]:
    """The proxy answer of the function the template routes ``method path`` to.

    ``body`` that is not already text or bytes is sent as JSON; ``event`` takes the rest of
    ``localrun.events.api_event`` (``query``, ``headers``, ``source_ip``, a whole ``authorizer``…)."""
    decoded = routing.request_path(path)
    route, params, _ = routing.match_route(_routes(), method, decoded)
    if route is None:
        raise LookupError(f"template.yaml routes no function for {method} {path}")
    if person is not None:
        event["authorizer"] = {"kind": "PERSON", "personId": person, "authMethod": "bearer"}
    if unit is not None:
        who = (
            unit
            if isinstance(unit, Caller)
            else Caller(kind=Kind.UNIT, unit_credit_code=unit, unit_name="测试见习单位")
        )
        event["authorizer"] = replace(who, auth_method="bearer").context()
    if principal is not None:
        event["identity"] = {"userArn": principal, "caller": "AIDAEXAMPLE", "accessKey": "AKIAEXAMPLE"}
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(body, ensure_ascii=False, default=str)
    proxy_event = api_event(method, decoded, resource=route.path, path_parameters=params or None, body=body, **event)
    answer: dict[str, Any] = template.functions()[route.function].handler_function()(proxy_event, context)
    return answer


def invoke_api(method: str, path: str, context: Any, **kwargs: Any) -> tuple[int, Any]:
    """``call_api``'s status and JSON body (None when empty)."""
    answer = call_api(method, path, context, **kwargs)
    return answer["statusCode"], json.loads(answer["body"]) if answer.get("body") else None


@pytest.fixture
def invoke(lambda_context: Any) -> Invoke:
    """``invoke(method, path, *, person=…, principal=…, query=…, headers=…, body=…)`` → (status, body)."""
    return lambda method, path, **kwargs: invoke_api(method, path, lambda_context, **kwargs)


class Reads:
    """What each DynamoDB Query of a handler answered and read, ``(Count, ScannedCount)`` (botocore's
    event hooks): a list reads only what it answers when every pair is equal."""

    def __init__(self) -> None:
        self.queries: list[tuple[int, int]] = []

    def after(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "Query":
            self.queries.append((parsed.get("Count", 0), parsed.get("ScannedCount", 0)))

    @property
    def exact(self) -> bool:
        """Every Query read exactly the items it answered."""
        return all(count == scanned for count, scanned in self.queries)


@pytest.fixture
def reads(aws_backend: None) -> Iterator[Reads]:
    """The Queries the handlers make from now on (``Reads``)."""
    from internship import aws

    recorder, events = Reads(), aws.dynamodb().meta.events
    events.register("after-call.dynamodb", recorder.after)
    yield recorder
    events.unregister("after-call.dynamodb", recorder.after)
