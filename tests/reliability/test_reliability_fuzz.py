"""Fuzzing the local run from ``docs/openapi.json`` with schemathesis (bounded).

Every operation of the published contract gets generated requests (valid and invalid, from the
schemas) against the in-process local run: public routes as they are, citizen routes with a bearer
token from a real login, back-office routes SigV4-signed. What must hold for every answer: no 5xx,
and every 4xx in the contract's shape ``{code, message, errors, requestId}`` with a non-empty
Chinese message. Failures are collected (not shrunk) and reported all at once.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings

from localrun.sigv4 import RequestsSigV4
from tests.integration.test_applications_races import fresh_id_number
from tests.reliability.conftest import CJK, login_bearer

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
EXAMPLES_PER_OPERATION = 30  # bounds the run (no clock: a slow machine tries the same cases, only slower)


@pytest.fixture(autouse=True)
def function_environment(local_run: Any) -> None:
    """Overrides the suite-wide fixture: the in-process local run owns the process environment."""


def operations(group: str) -> list[tuple[str, str]]:
    """(method, path) of the contract's operations, by who may call them."""
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            schemes = {name for requirement in operation.get("security") or [] for name in requirement}
            kind = "iam" if "sigv4" in schemes else "citizen" if schemes else "public"
            if kind == group:
                found.append((method.upper(), path))
    return found


def contract_problem(response: requests.Response) -> str | None:
    """Why an answer breaks the contract (``None``: it does not)."""
    if response.status_code >= 500:
        return f"server error {response.status_code}: {response.text[:300]}"
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} without a JSON body: {response.text[:200]!r}"
    if not isinstance(body, dict) or set(body) != {"code", "message", "errors", "requestId"}:
        return f"{response.status_code} not in the contract's shape: {body!r}"[:400]
    if not isinstance(body["message"], str) or not CJK.search(body["message"]):
        return f"{response.status_code} without a Chinese message: {body!r}"[:400]
    if not isinstance(body["errors"], list):
        return f"{response.status_code} with errors not a list: {body!r}"[:400]
    return None


class Fuzzer:
    def __init__(self, base_url: str) -> None:
        import schemathesis

        self.base_url = base_url
        self.schema = schemathesis.openapi.from_path(str(OPENAPI))
        self.requests = 0
        self.problems: list[str] = []
        self.statuses: Counter[str] = Counter()

    def run(self, method: str, path: str, **call: Any) -> None:
        operation = self.schema[path][method]
        strategy = operation.as_strategy()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def one(case: Any) -> None:
            self.requests += 1
            response = case.call(base_url=self.base_url, allow_redirects=False, timeout=15, **call)
            self.statuses[f"{method} {path} {response.status_code}"] += 1
            problem = contract_problem(response)
            if problem is not None:
                self.problems.append(f"{method} {path} ({case.method} {response.request.url}): {problem}")

        one()


@pytest.fixture(scope="module")
def fuzzer(local_run: Any) -> Fuzzer:
    return Fuzzer(local_run.base_url)


@pytest.mark.parametrize(("method", "path"), operations("public"))
def test_public_routes_answer_within_the_contract(fuzzer: Fuzzer, method: str, path: str):
    fuzzer.run(method, path)
    assert [p for p in fuzzer.problems if p.startswith(f"{method} {path} ")] == []


@pytest.mark.parametrize(("method", "path"), operations("citizen"))
def test_citizen_routes_answer_within_the_contract(fuzzer: Fuzzer, local_run: Any, method: str, path: str):
    token = login_bearer(local_run.base_url, fresh_id_number())
    fuzzer.run(method, path, headers={"Authorization": f"Bearer {token}"})
    assert [p for p in fuzzer.problems if p.startswith(f"{method} {path} ")] == []


@pytest.mark.parametrize(("method", "path"), operations("iam"))
def test_back_office_routes_answer_within_the_contract(fuzzer: Fuzzer, method: str, path: str):
    fuzzer.run(method, path, auth=RequestsSigV4())
    assert [p for p in fuzzer.problems if p.startswith(f"{method} {path} ")] == []


def test_fuzzing_covered_every_operation(fuzzer: Fuzzer):
    everything = operations("public") + operations("citizen") + operations("iam")
    assert len(everything) == sum(len(methods) for methods in json.loads(OPENAPI.read_text())["paths"].values())
    assert fuzzer.requests >= len(everything), "some operation was never tried"
    print(f"\nfuzzing: {fuzzer.requests} requests over {len(everything)} operations, {len(fuzzer.problems)} problems")
    print("\n".join(f"  {line}: {count}" for line, count in sorted(fuzzer.statuses.items())))


# --- hostile bodies to every operation --------------------------------------------------------------

HOSTILE_BODIES: dict[str, tuple[str | None, bytes]] = {
    # name: (Content-Type, body)
    "text-plain": ("text/plain", b'{"a":1}'),
    "form": ("application/x-www-form-urlencoded", b"a=1&b=2"),
    "multipart": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
    ),
    "deep": ("application/json", b"[" * 5_000 + b"]" * 5_000),
    "hundred-thousand-brackets": ("application/json", b"[" * 100_000 + b"]" * 100_000),
    "big": ("application/json", json.dumps({"a": "x" * 1_000_000}).encode()),
    "not-utf8": ("application/json", b'{"a":"\xa5\xff"}'),
    "malformed": ("application/json", b'{"a":'),
    "no-content-type-garbage": (None, b"\x00\x01\x02"),
}
# What an operation that takes a JSON body must answer (SPEC §4); others only stay in the contract.
EXPECTED_FOR_BODY_ROUTES = {
    "text-plain": (415, None),
    "form": (415, None),
    "multipart": (415, None),
    "deep": (422, "body"),
    "hundred-thousand-brackets": (422, "body"),
    "big": (422, "body"),
    "not-utf8": (422, "body"),
    "malformed": (422, "body"),
    "no-content-type-garbage": (422, "body"),
}


def every_operation() -> list[tuple[str, str, str, bool]]:
    """(group, method, path, takes a body) of every documented operation."""
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    found = []
    for group in ("public", "citizen", "iam"):
        for method, path in operations(group):
            takes_body = "requestBody" in document["paths"][path][method.lower()]
            found.append((group, method, path, takes_body))
    return found


@pytest.fixture(scope="module")
def bearer(local_run: Any) -> str:
    return login_bearer(local_run.base_url, fresh_id_number())


@pytest.mark.parametrize(("group", "method", "path", "takes_body"), every_operation(), ids=lambda v: str(v))
def test_hostile_bodies_get_the_contracts_answer_on_every_operation(
    local_run: Any, bearer: str, group: str, method: str, path: str, takes_body: bool
) -> None:
    url = local_run.base_url + path.replace("{", "").replace("}", "")  # {positionId} → positionId
    auth = RequestsSigV4() if group == "iam" else None
    problems = []
    # Logging out ends the session it is sent with: it gets one of its own, not the module's.
    token = login_bearer(local_run.base_url, fresh_id_number()) if path == "/auth/logout" else bearer
    for name, (content_type, data) in HOSTILE_BODIES.items():
        headers = {"Authorization": f"Bearer {token}"} if group == "citizen" else {}
        if content_type:
            headers["Content-Type"] = content_type
        response = requests.request(
            method, url, data=data, headers=headers, auth=auth, allow_redirects=False, timeout=30
        )
        if problem := contract_problem(response):
            problems.append(f"{name}: {problem}")
            continue
        if takes_body:
            status, field = EXPECTED_FOR_BODY_ROUTES[name]
            body = response.json()
            fields = [e.get("field") for e in body.get("errors", [])]
            if response.status_code != status or (field and fields != [field]):
                problems.append(f"{name}: expected {status} on {field}, got {response.status_code} {body}"[:300])
    assert problems == []
