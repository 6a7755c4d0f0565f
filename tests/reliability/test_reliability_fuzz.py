"""Fuzzing the local run from ``docs/openapi.json`` with schemathesis (bounded by examples, not time).

Every operation of the published contract gets generated requests against the in-process local run:
public routes as they are, citizen routes with a bearer token from a real login, back-office routes
SigV4-signed. Schema-valid requests (schemathesis' positive mode) and schema-invalid ones (negative mode)
alike must get no 5xx, and every 4xx in the contract's shape ``{code, message, errors, requestId}`` with a
non-empty Chinese message. A schema-valid request must moreover be accepted (SPEC §4 "The API
description": what the service refuses beyond the types is in the schema): a 400 or 422 to one is a
"schema-valid request rejected" finding, unless the fields it names are refused by a rule no schema can
state (the clock, the stored state, a check digit), each listed with its reason in
``RULES_BEYOND_THE_SCHEMA``. Failures are collected (not shrunk) and reported all at once.
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
UNIT_CREDIT_CODE = "91140105057318466N"  # a demo host unit of the dev IdP's 法人登录
# Bounds the run (no clock: a slow machine tries the same cases, only slower): per operation, this many
# schema-valid requests and half as many schema-invalid ones.
EXAMPLES_PER_OPERATION = 30

# Statuses a schema-valid request may get without the schema being wrong: who may call, what exists,
# the state of what exists, and the rate limit (schemathesis' own positive-data defaults, less 5xx).
NOT_A_REJECTION = {401, 403, 404, 409, 429}
# Fields a schema-valid request may still be refused on (422), per operation, because the rule needs what
# no schema holds: today's date, the stored position, attachment or application, the caller's jurisdiction,
# a national standard's check character. Anything else refused must be stated in the schema instead.
_PAGING = {"cursor": "only a cursor the service issued for this list is accepted (opaque, signed by its content)"}
_JURISDICTION = {"regionCode": "must lie inside the caller's jurisdiction (属地), which depends on who calls"}
# The province's divisions are data (``internship.regions``, GET /regions): revised by the State Council and
# chosen by the deployment's province, so the schema states a code's shape and the service checks it exists.
_DIVISIONS = "a province, city or county the province's divisions list (GET /regions), not only its shape"
_COUNTY = "a county the province's divisions list (GET /regions), not only its shape"
_GRADUATES = "required of the graduate categories (personCategory), not of 失业青年"
RULES_BEYOND_THE_SCHEMA: dict[str, dict[str, str]] = {
    "POST /applications": {
        "positionId": "the position must exist and be open",
        "attachmentIds": "each attachment must exist, be the applicant's own, confirmed and unbound; kinds required",
        "copyFrom": "one's own withdrawn application",
        "startDate": "from the day of submission to 6 months after it; the age rule is judged on it",
        "endDate": "3 to 12 months after startDate",
        "graduationDate": "not after this month, at most 24 months ago; required for graduates",
        "school": _GRADUATES,
        "major": _GRADUATES,
        "householdRegionCode": _COUNTY,
        "personCategory": "the applicant's age on startDate decides whether they are an unemployed youth",
        "Idempotency-Key": "the same key with another form is refused",
        "employmentCertificateNo": "required unless a 就业创业证 was issued here; then it must be that one",
    },
    "POST /manage/positions": {
        "deadline": "not before today",
        "unitCreditCode": "GB 32100-2015's check character",
        "regionCode": _JURISDICTION["regionCode"],
    },
    "PUT /manage/positions/{positionId}": {
        "deadline": "not before today",
        "unitCreditCode": "GB 32100-2015's check character",
        "regionCode": _JURISDICTION["regionCode"],
        "headcount": "not below the places already filled",
    },
    "POST /review/applications/{applicationId}/decision": {"reason": "required when the decision is REJECTED"},
    "PUT /manage/reviewers/{principalArn}": {},
    "GET /positions": {**_PAGING, "regionCode": _DIVISIONS},
    "GET /applications": _PAGING,
    "GET /review/applications": {**_PAGING, **_JURISDICTION},
    "GET /review/stats": _JURISDICTION,
    "GET /review/audit": {
        **_PAGING,
        "month": "required with principalArn or unitCreditCode",
        "principalArn": "one way of asking at a time (an application, a position, a reviewer or a unit)",
        "applicationId": "one way of asking at a time (an application, a position, a reviewer or a unit)",
        "registrationId": "one way of asking at a time (a registration is asked about like an application)",
        "positionId": "one way of asking at a time (an application, a position, a reviewer or a unit)",
        "unitCreditCode": "one way of asking at a time; GB 32100-2015's check character",
    },
    "GET /manage/reviewers": _PAGING,
    "GET /review/positions": {**_PAGING, **_JURISDICTION},
    "POST /review/positions/{positionId}/decision": {"reason": "required when the decision is REJECTED"},
    "GET /unit/applications": _PAGING,
    "GET /unit/positions": _PAGING,
    "POST /unit/positions": {"deadline": "not before today", "regionCode": _COUNTY},
    "PUT /unit/positions/{positionId}": {
        "deadline": "not before today",
        "headcount": "not below the places already filled",
        "regionCode": f"a published position's place cannot move; {_COUNTY}",
    },
    "POST /attachments/{attachmentId}/confirm": {"file": "the uploaded file is checked, not the request"},
    "GET /me/messages": _PAGING,
    "GET /review/ratings": {**_PAGING, **_JURISDICTION},
    "POST /attachments": {"fileName": "its extension must match contentType (.pdf, .jpg or .jpeg, .png)"},
    # 就业创业证 (issue 25): the kind decides which fields are required; the age and the dates are judged on
    # today's Asia/Shanghai date and the ID number of the login.
    "POST /registrations": {
        "kind": "失业登记 only at 16 to 24 years old today (the age comes from the login's ID number)",
        "attachmentIds": "each attachment must exist, be the registrant's own, confirmed and unbound; kinds required",
        "graduationDate": "required of 求职登记; not after this month, at most 24 months ago",
        "school": "required of 求职登记, not of 失业登记",
        "major": "required of 求职登记, not of 失业登记",
        "unemployedSince": "required of 失业登记; not after today",
        "householdRegionCode": _COUNTY,
        "Idempotency-Key": "the same key with another form is refused",
    },
    "GET /registrations": _PAGING,
    "GET /review/registrations": {**_PAGING, **_JURISDICTION},
    "POST /review/registrations/{registrationId}/decision": {"reason": "required when the decision is REJECTED"},
}
# What free text refuses and JSON Schema cannot name portably: text that shows as nothing (blank-looking
# characters) and invisible characters (Unicode's control, format, unassigned categories; ``\\p{C}`` is in
# no dialect every client and generator shares). The messages of ``internship.types``, on any field.
# And an integer written with a fraction (3.0): JSON Schema's ``integer`` includes it, the service takes
# numbers as written (``types.StrictInt``: neither ``3.0`` nor ``"3"`` is a headcount).
BEYOND_ANY_PATTERN = {
    "内容不能为空",
    "不能包含控制字符或不可见字符",
    "文件名不能为空",
    "文件名不能包含控制字符",
    "应为整数",
}
# Operations whose schema-valid requests are refused as a whole (400) by design, and why.
REFUSED_AS_A_WHOLE = {
    "GET /auth/login": "code_challenge and its method only with a registered app redirect URI (RFC 8252)",
    "GET /auth/callback": "a callback without the login's state cookie and a matching state is a forged login",
    "POST /auth/token": "only a one-time code the login issued, with its PKCE verifier, is exchanged",
}


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


def rejection(operation: str, response: requests.Response) -> str | None:
    """Why an answer to a schema-valid request says the schema does not state a limit (``None``: it does not)."""
    status = response.status_code
    if status < 400 or status in NOT_A_REJECTION or status >= 500:
        return None
    if status == 400 and operation in REFUSED_AS_A_WHOLE:
        return None
    refused = response.json().get("errors", []) if status == 422 else []
    allowed = RULES_BEYOND_THE_SCHEMA.get(operation, {})
    if refused and all(beyond_the_schema(error, allowed) for error in refused):
        return None
    return f"schema-valid request rejected: {status} {response.text[:300]}"


def beyond_the_schema(error: dict[str, Any], allowed: dict[str, str]) -> bool:
    return str(error.get("field")).split("[")[0] in allowed or error.get("message") in BEYOND_ANY_PATTERN


class Fuzzer:
    def __init__(self, base_url: str) -> None:
        import schemathesis

        self.base_url = base_url
        self.schema = schemathesis.openapi.from_path(str(OPENAPI))
        self.requests = 0
        self.problems: list[str] = []
        self.statuses: Counter[str] = Counter()

    def run(self, method: str, path: str, **call: Any) -> None:
        """Schema-valid requests, then schema-invalid ones, to one operation."""
        from schemathesis import GenerationMode

        operation = self.schema[path][method]
        self._run(operation, f"{method} {path}", GenerationMode.POSITIVE, EXAMPLES_PER_OPERATION, call)
        declared = json.loads(OPENAPI.read_text(encoding="utf-8"))["paths"][path][method.lower()]
        if declared.get("parameters") or declared.get("requestBody"):  # else nothing can be schema-invalid
            self._run(operation, f"{method} {path}", GenerationMode.NEGATIVE, EXAMPLES_PER_OPERATION // 2, call)

    def _run(self, operation: Any, label: str, mode: Any, examples: int, call: dict[str, Any]) -> None:
        from schemathesis import GenerationMode

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def one(case: Any) -> None:
            self.requests += 1
            response = case.call(base_url=self.base_url, allow_redirects=False, timeout=15, **call)
            self.statuses[f"{label} {mode.value} {response.status_code}"] += 1
            problem = contract_problem(response)
            if problem is None and mode is GenerationMode.POSITIVE:
                problem = rejection(label, response)
            if problem is not None:
                self.problems.append(f"{label} ({mode.value} {case.method} {response.request.url}): {problem}")

        one()


@pytest.fixture(scope="module")
def fuzzer(local_run: Any) -> Fuzzer:
    return Fuzzer(local_run.base_url)


@pytest.mark.parametrize(("method", "path"), operations("public"))
def test_public_routes_answer_within_the_contract(fuzzer: Fuzzer, method: str, path: str):
    fuzzer.run(method, path)
    mine = [p for p in fuzzer.problems if p.startswith(f"{method} {path} ")]
    assert mine == [], "\n".join(mine)


def session_for(base_url: str, path: str) -> str:
    """A fresh bearer token of the session that may call ``path``: a host unit's on ``/unit/*``, else a citizen's."""
    if path.startswith("/unit/"):
        return login_bearer(base_url, UNIT_CREDIT_CODE, unit=True)
    return login_bearer(base_url, fresh_id_number())


@pytest.mark.parametrize(("method", "path"), operations("citizen"))
def test_citizen_routes_answer_within_the_contract(fuzzer: Fuzzer, local_run: Any, method: str, path: str):
    token = session_for(local_run.base_url, path)
    fuzzer.run(method, path, headers={"Authorization": f"Bearer {token}"})
    mine = [p for p in fuzzer.problems if p.startswith(f"{method} {path} ")]
    assert mine == [], "\n".join(mine)


@pytest.mark.parametrize(("method", "path"), operations("iam"))
def test_back_office_routes_answer_within_the_contract(fuzzer: Fuzzer, method: str, path: str):
    fuzzer.run(method, path, auth=RequestsSigV4())
    mine = [p for p in fuzzer.problems if p.startswith(f"{method} {path} ")]
    assert mine == [], "\n".join(mine)


def test_fuzzing_covered_every_operation(fuzzer: Fuzzer):
    everything = operations("public") + operations("citizen") + operations("iam")
    assert len(everything) == sum(len(methods) for methods in json.loads(OPENAPI.read_text())["paths"].values())
    assert fuzzer.requests >= len(everything), "some operation was never tried"
    print(f"\nfuzzing: {fuzzer.requests} requests over {len(everything)} operations, {len(fuzzer.problems)} problems")
    print("\n".join(f"  {line}: {count}" for line, count in sorted(fuzzer.statuses.items())))


def test_every_rule_beyond_the_schema_names_a_real_operation() -> None:
    everything = {f"{m} {p}" for group in ("public", "citizen", "iam") for m, p in operations(group)}
    assert set(RULES_BEYOND_THE_SCHEMA) | set(REFUSED_AS_A_WHOLE) <= everything


# --- hostile bodies to every operation --------------------------------------------------------------

HOSTILE_BODIES: dict[str, tuple[str | None, bytes]] = {
    # name: (Content-Type, body)
    "text-plain": ("text/plain", b'{"a":1}'),
    "form": ("application/x-www-form-urlencoded", b"a=1&b=2"),
    "multipart": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
    ),
    # A type the media type parser cannot read (issue 29: six operations answered 500).
    "multipart-without-boundary": ("multipart/form-data", b'{"a":1}'),
    "unparseable-type": ("application/json; charset", b'{"a":1}'),
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
    "multipart-without-boundary": (415, None),
    "unparseable-type": (415, None),
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


@pytest.fixture(scope="module")
def unit_bearer(local_run: Any) -> str:
    return login_bearer(local_run.base_url, UNIT_CREDIT_CODE, unit=True)


@pytest.mark.parametrize(("group", "method", "path", "takes_body"), every_operation(), ids=lambda v: str(v))
def test_hostile_bodies_get_the_contracts_answer_on_every_operation(
    local_run: Any, bearer: str, unit_bearer: str, group: str, method: str, path: str, takes_body: bool
) -> None:
    url = local_run.base_url + path.replace("{", "").replace("}", "")  # {positionId} → positionId
    auth = RequestsSigV4() if group == "iam" else None
    # the session that may call it (a host unit's on /unit/*); logout revokes its own, never the shared ones
    token = unit_bearer if path.startswith("/unit/") else bearer
    if path == "/auth/logout":
        token = session_for(local_run.base_url, path)
    problems = []
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
