"""DynamoDB round trips per request, and items read per item returned for the list endpoints.

Counted from botocore's events on the shared clients (``internship.aws``): ``before-send`` counts
every HTTP request actually sent (retries included), ``provide-client-params`` records each call
with its parameters (the warm benchmark replays them), ``after-call`` reads ``ScannedCount`` /
``Count`` / ``Item`` / ``Responses`` of each DynamoDB answer.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bench import report
from bench.backend import LambdaContext, load_handler
from bench.scenario import BULK_REGIONS, IAM_USER, PROVINCE_USER, Endpoint, Scenario
from localrun import template

SECTION = "DynamoDB round trips per request"


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


_DEVNULL = _Discard()
LIST_SECTION = "Items read / items returned at 10,000 applications"


@dataclass
class Call:
    service: str
    operation: str
    params: dict[str, Any]
    sent: bool = False  # a request went out (generate_presigned_post emits params but sends nothing)


@dataclass
class Recorder:
    """Listens to botocore's events of the given clients while ``active``."""

    active: bool = False
    sends: Counter[str] = field(default_factory=Counter)
    calls: list[Call] = field(default_factory=list)
    items_read: int = 0

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-send", self._before_send)
        client.meta.events.register("provide-client-params", self._params)
        client.meta.events.register("after-call", self._after_call)

    def reset(self) -> None:
        self.sends.clear()
        self.calls.clear()
        self.items_read = 0

    def _before_send(self, request: Any = None, event_name: str = "", **_: Any) -> None:
        if self.active:
            service = event_name.split(".")[1]
            self.sends[service] += 1
            for call in reversed(self.calls):
                if call.service == service:
                    call.sent = True
                    break

    def _params(self, params: Any = None, model: Any = None, event_name: str = "", **_: Any) -> None:
        if self.active and model is not None:
            self.calls.append(Call(event_name.split(".")[1], model.name, copy.deepcopy(params or {})))

    def _after_call(self, parsed: Any = None, model: Any = None, event_name: str = "", **_: Any) -> None:
        if not self.active or not isinstance(parsed, dict) or not event_name.startswith("after-call.dynamodb"):
            return
        self.items_read += items_read(parsed)


def items_read(parsed: dict[str, Any]) -> int:
    """Items a DynamoDB answer read: ``ScannedCount`` of a Query/Scan, 1 per item Get*/BatchGet* found."""
    if "ScannedCount" in parsed:
        return int(parsed["ScannedCount"])
    if "Item" in parsed:
        return 1
    if "Responses" in parsed:
        responses = parsed["Responses"]
        if isinstance(responses, dict):
            return sum(len(v) for v in responses.values())
        return sum(1 for r in responses if "Item" in r)
    return 0


def attach_shared_clients(recorder: Recorder) -> None:
    from internship import aws

    for client in (aws.dynamodb(), aws.s3(), aws.events()):
        recorder.attach(client)


def invoke(function: str, event: dict[str, Any]) -> tuple[Any, str]:
    """Call a function in-process; returns (status or raised text, answer body or '')."""
    handler = load_handler(template.functions()[function])
    if handler is None:
        return "no code", ""
    try:
        # Metrics and logs still happen; only where they go changes (the table stays readable).
        with contextlib.redirect_stdout(_DEVNULL), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = handler(event, LambdaContext())
    except Exception as error:  # noqa: BLE001 - an authorizer answers 401 by raising
        return f"raised {str(error)[:40]}", ""
    if isinstance(result, dict) and "statusCode" in result:
        return result["statusCode"], str(result.get("body") or "")
    return "ok", json.dumps(result, default=str)[:200] if result is not None else ""


def measure(scenario: Scenario, endpoints: list[Endpoint], recorder: Recorder) -> list[report.Figure]:
    figures = []
    for endpoint in endpoints:
        if load_handler(template.functions()[endpoint.function]) is None:
            figures.append(report.Figure(SECTION, endpoint.name, float("nan"), "", endpoint.budget_round_trips,
                                         "not measured: the function has no code yet"))  # fmt: skip
            continue
        invoke(endpoint.function, endpoint.prepare(0))  # warm the container: first-use work is not per request
        event = endpoint.prepare(1)
        recorder.reset()
        recorder.active = True
        try:
            status, body = invoke(endpoint.function, event)
        finally:
            recorder.active = False
        operations = ", ".join(c.operation for c in recorder.calls if c.service == "dynamodb" and c.sent)
        others = {s: n for s, n in recorder.sends.items() if s != "dynamodb"}
        detail = f"status {status}; {operations or 'no DynamoDB call'}"
        if others:
            detail += "; other calls " + ", ".join(f"{s} {n}" for s, n in others.items())
        if isinstance(status, int) and status >= 400:
            detail += f"; answer {body[:120]}"
        figures.append(
            report.Figure(SECTION, endpoint.name, float(recorder.sends["dynamodb"]), "", endpoint.budget_round_trips,
                          detail)
        )  # fmt: skip
    return figures


def seed_applications(scenario: Scenario, total: int = 10_000, persons: int = 4) -> tuple[list[str], str]:
    """``total`` applications across ``persons`` people, months, statuses and the counties of four
    cities (``BULK_REGIONS``) mixed; returns the people and a month in the middle."""
    people = [f"bench-{scenario.run}-bulk-{n}" for n in range(persons)]
    statuses = ("PENDING", "APPROVED", "REJECTED", "WITHDRAWN")
    start = scenario._clock.now() - timedelta(days=720)

    def items() -> Any:
        for i in range(total):
            at = scenario._clock.iso(start + timedelta(minutes=103 * i))
            region = BULK_REGIONS[(i // 3) % len(BULK_REGIONS)]
            person = people[i % persons]
            yield scenario.application_item(person, "bench-position", statuses[(i // 7) % 4], at, region).item()

    scenario.bulk(items())
    return people, scenario._clock.iso(start + timedelta(minutes=103 * (total // 2)))[:7]


def list_efficiency(scenario: Scenario, recorder: Recorder, total: int = 10_000) -> list[report.Figure]:
    """Items read / items returned for GET /applications and the review queue, over filters."""
    functions = {(r.method, r.path): r.function for r in template.routes()}
    mine = functions.get(("GET", "/applications"))
    queue = functions.get(("GET", "/review/applications"))
    people, month = seed_applications(scenario, total)
    cases: list[tuple[str, str | None, dict[str, Any]]] = []
    for query in ({}, {"status": "PENDING"}, {"month": month}, {"status": "REJECTED", "month": month}):
        label = "GET /applications" + (" ?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        cases.append((label, mine, scenario.citizen("GET", "/applications", people[0], query=query or None)))
    # The review queue of a city (the bench reviewer is Taiyuan's, 1401), of a county and of the province:
    # one partition each (keys.CASES), budget 1.0.
    scenario.reviewer(PROVINCE_USER, "14")
    queries = [
        ("city", {"status": "PENDING"}),
        ("city", {"status": "PENDING", "month": month}),
        ("county", {"status": "PENDING", "regionCode": "140105"}),
        ("county", {"status": "APPROVED", "month": month, "regionCode": "140213"}),
        ("province", {"status": "PENDING"}),
    ]
    for scope, query in queries:
        who = PROVINCE_USER if scope == "province" or query.get("regionCode", "").startswith("1402") else IAM_USER
        label = f"GET /review/applications ({scope}) ?" + "&".join(f"{k}={v}" for k, v in query.items())
        event = scenario.back_office("GET", "/review/applications", query=query)
        event["requestContext"]["identity"]["userArn"] = who
        cases.append((label, queue, event))
    figures = []
    for label, function, event in cases:
        if function is None or load_handler(template.functions()[function]) is None:
            figures.append(report.Figure(LIST_SECTION, label, float("nan"), "×", 1.0, "not measured: no code yet"))
            continue
        invoke(function, event)  # warm: the caller's jurisdiction is read once per container, not per request
        recorder.reset()
        recorder.active = True
        try:
            status, body = invoke(function, event)
        finally:
            recorder.active = False
        returned = 0
        with contextlib.suppress(ValueError, AttributeError):
            returned = len(json.loads(body).get("items", []))
        value = report.ratio(float(recorder.items_read), float(returned)) if returned else float("nan")
        trips = recorder.sends["dynamodb"]
        detail = f"status {status}; read {recorder.items_read}, returned {returned}; {trips} round trip(s)"
        figures.append(report.Figure(LIST_SECTION, label, value, "×", 1.0, detail))
    return figures
