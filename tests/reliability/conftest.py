"""Reliability suite: AWS faults injected under moto, the table's invariants, the local run in-process.

- ``faults``: answers chosen AWS calls with a fault *at the HTTP layer*, in place of moto's answer,
  so botocore parses it and retries it exactly as it would a real one (the client's standard retry
  mode, 3 attempts; the backoff delay is set to 0 so the suite stays fast, never slept on).
  ``faults.lose_first_answers`` lets moto apply each request, then loses its answer to the fault:
  the client's own retry meets its own write, as after a read timeout or a 5xx from a busy server.
- ``table_problems()``: every way the single table could be half-written, as readable strings.
- ``local_run`` (session): ``localrun.__main__.start(0)`` in-process (moto server, seeded table,
  dev IdP, gateway), shared by the fuzzing and load tests and stopped at the end; the process
  environment it set is restored afterwards.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from internship.dynamo import from_item
from internship.settings import get_settings

CJK = re.compile(r"[\u4e00-\u9fff]")
# What an error body must never show a citizen.
INTERNALS = ("Traceback", "botocore", "boto3", "Exception", "amazonaws", "dynamodb", "127.0.0.1", 'File "')

Fault = Callable[[Any], Any]


# --- fault injection ----------------------------------------------------------------------------


def aws_error(status: int, code: str, message: str = "injected fault", **extra: Any) -> Fault:
    """An AWS error answer (JSON for DynamoDB, XML for S3), as the service would send it."""

    def answer(request: Any) -> Any:
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse

        if "x-amz-target" in {k.lower() for k in request.headers}:  # JSON protocol (DynamoDB)
            body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message, **extra})
            headers = {"Content-Type": "application/x-amz-json-1.0"}
        else:
            body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
            headers = {"Content-Type": "application/xml"}
        return AWSResponse(request.url, status, headers, MockRawResponse(body))  # type: ignore[arg-type]

    return answer


def read_timeout(request: Any) -> Any:
    from botocore.exceptions import ReadTimeoutError

    raise ReadTimeoutError(endpoint_url=request.url)


def connect_timeout(request: Any) -> Any:
    from botocore.exceptions import ConnectTimeoutError

    raise ConnectTimeoutError(endpoint_url=request.url)


def cancelled(*codes: str) -> Fault:
    """A cancelled TransactWriteItems with these per-item reasons (``None`` for the others)."""
    reasons = [{"Code": code} for code in codes]
    return aws_error(400, "TransactionCanceledException", "Transaction cancelled", CancellationReasons=reasons)


class Faults:
    """Which (service, operation) to fail, and how often each was attempted."""

    def __init__(self) -> None:
        self.rules: dict[tuple[str, str], tuple[Fault, int | None]] = {}
        self.losing: dict[tuple[str, str], Fault] = {}
        self.lost: list[bytes] = []  # the requests applied whose answer was lost, in order
        self.attempts: Counter[str] = Counter()
        self.sent: defaultdict[str, list[bytes]] = defaultdict(list)  # each attempt's body, by operation

    def fail(self, service: str, operation: str, fault: Fault, times: int | None = None) -> None:
        """Fail every call of ``service``/``operation`` (or only the next ``times``)."""
        self.rules[(service, operation)] = (fault, times)

    def lose_first_answers(self, service: str, operation: str, fault: Fault) -> None:
        """Apply every request of ``service``/``operation`` but answer its first attempt with ``fault``:
        botocore's retry (the same request) then gets moto's answer to a table it already changed."""
        self.losing[(service, operation)] = fault

    def clear(self) -> None:
        self.rules.clear()
        self.losing.clear()

    def answer(self, event_name: str, request: Any, apply: Callable[[], Any]) -> Any:
        """The fault to answer in place of moto (``None``: moto answers); ``apply`` lets moto apply it."""
        _, service, operation = event_name.split(".", 2)
        self.attempts[operation] += 1
        self.sent[operation].append(request.body)
        losing = self.losing.get((service, operation))
        if losing is not None and request.body not in self.lost:
            apply()
            self.lost.append(request.body)
            return losing(request)
        rule = self.rules.get((service, operation))
        if rule is None:
            return None
        fault, times = rule
        if times is not None:
            if times <= 0:
                return None
            self.rules[(service, operation)] = (fault, times - 1)
        return fault(request)


@pytest.fixture
def faults(aws_backend: None, monkeypatch: pytest.MonkeyPatch) -> Faults:
    """Faults in place of moto's answers; retries keep their count but lose their delay."""
    from botocore.retries.standard import ExponentialBackoff
    from moto.core.botocore_stubber import BotocoreStubber

    injected = Faults()
    original = BotocoreStubber.__call__

    def stubbed(self: BotocoreStubber, event_name: str, request: Any, **kwargs: Any) -> Any:
        if self.enabled:
            answer = injected.answer(event_name, request, lambda: original(self, event_name, request, **kwargs))
            if answer is not None:
                return answer
        return original(self, event_name, request, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", stubbed)
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    return injected


# --- what a half-written table looks like ---------------------------------------------------------


def table_items() -> list[dict[str, Any]]:
    """Every item of the table, read by the test's own client: it waits generously (a scan of thousands
    of items on a busy machine outlasts the functions' 5 s read timeout; that is no finding)."""
    import boto3
    from botocore.config import Config

    config = Config(read_timeout=300, retries={"mode": "standard", "max_attempts": 3})
    client, table = boto3.session.Session().client("dynamodb", config=config), get_settings().table_name
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    for _ in range(10_000):  # bounded: a page is 1 MB
        page = client.scan(**request)
        items += [from_item(raw) or {} for raw in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return items


def of_kind(items: list[dict[str, Any]], pk_prefix: str, sk: str | None = None) -> list[dict[str, Any]]:
    return [i for i in items if str(i["pk"]).startswith(pk_prefix) and (sk is None or i["sk"] == sk)]


def table_problems(items: list[dict[str, Any]] | None = None) -> list[str]:
    """Every broken link between applications, history, guards and attachments (empty: consistent)."""
    items = table_items() if items is None else items
    problems: list[str] = []
    applications = {a["applicationId"]: a for a in of_kind(items, "APPLICATION#", "APPLICATION")}
    history: dict[str, list[dict[str, Any]]] = {}
    for entry in items:
        if str(entry["pk"]).startswith("APPLICATION#") and str(entry["sk"]).startswith("HISTORY#"):
            history.setdefault(str(entry["pk"]).removeprefix("APPLICATION#"), []).append(entry)
    for application_id in history.keys() - applications.keys():
        problems.append(f"history without application {application_id}")
    guards = {str(g["pk"]).removeprefix("PERSON#"): g for g in of_kind(items, "PERSON#", "ACTIVE")}
    attachments = {a["attachmentId"]: a for a in of_kind(items, "ATTACHMENT#", "ATTACHMENT")}
    for application_id, application in applications.items():
        entries = sorted(history.get(application_id, []), key=lambda e: str(e["sk"]))
        moves = 0 if application["status"] == "PENDING" else 1
        if [e["action"] for e in entries][:1] != ["SUBMITTED"] or len(entries) != 1 + moves:
            problems.append(f"application {application_id} ({application['status']}) has history {entries}")
        elif entries[-1]["status"] != application["status"]:
            problems.append(f"application {application_id} is {application['status']}, history says otherwise")
        guard = guards.get(application["personId"])
        if application["status"] in {"PENDING", "APPROVED"} and (
            guard is None or guard["applicationId"] != application_id
        ):
            problems.append(f"active application {application_id} without its guard")
        if application.get("gsi2pk", "").split("#")[-1:] != [application["status"]]:
            problems.append(f"application {application_id} indexed under {application.get('gsi2pk')}")
        for attachment_id in application.get("attachmentIds", []):
            bound_to = (attachments.get(attachment_id) or {}).get("applicationId")
            if bound_to != application_id and application["status"] != "WITHDRAWN":
                problems.append(f"attachment {attachment_id} of {application_id} is bound to {bound_to}")
    for person_id, guard in guards.items():
        guarded = applications.get(guard["applicationId"])
        if guarded is None or guarded["personId"] != person_id:
            problems.append(f"guard of {person_id} without its application")
        elif guarded["status"] not in {"PENDING", "APPROVED"}:
            problems.append(f"guard of {person_id} on a {guarded['status']} application")
    for reference in of_kind(items, "REFERENCE#"):
        if reference["applicationId"] not in applications:
            problems.append(f"reference {reference['pk']} without application")
    for attachment_id, attachment in attachments.items():
        bound_to = attachment.get("applicationId")
        if bound_to and attachment_id not in applications.get(bound_to, {}).get("attachmentIds", []):
            problems.append(f"attachment {attachment_id} bound to {bound_to}, which does not list it")
        if bound_to and attachment.get("status") != "UPLOADED":
            problems.append(f"unconfirmed attachment {attachment_id} bound to {bound_to}")
    return problems


def assert_contract_error(status: int, body: Any, expected_status: int, code: str) -> None:
    """The contract's error shape with a Chinese message, and no internals anywhere in it."""
    assert status == expected_status, body
    assert isinstance(body, dict)
    assert set(body) == {"code", "message", "errors", "requestId"}, body
    assert body["code"] == code, body
    assert CJK.search(body["message"]), body
    text = json.dumps(body, ensure_ascii=False)
    assert not [word for word in INTERNALS if word in text], text


# --- the local run, in-process ------------------------------------------------------------------


def login_bearer(base_url: str, id_number: str, session: Any = None, *, unit: bool = False) -> str:
    """The real login dance through the dev IdP (``login_hint`` skips its page); the bearer token.
    ``unit``: a host unit's legal-person login (法人登录), ``id_number`` its credit code."""
    from urllib.parse import urlencode, urljoin

    import requests

    http = session or requests.Session()
    params = {"redirect": "/", **({"as": "unit"} if unit else {})}
    start = http.get(f"{base_url}/auth/login", params=params, allow_redirects=False, timeout=60)
    assert start.status_code == 302, start.text
    authorize = urljoin(start.url, start.headers["Location"]) + "&" + urlencode({"login_hint": id_number})
    back = http.get(authorize, allow_redirects=False, timeout=60)
    assert back.status_code in {302, 303}, back.text
    answer = http.get(
        urljoin(back.url, back.headers["Location"]),
        headers={"Accept": "application/json"},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


@pytest.fixture(scope="session")
def local_run() -> Iterator[Any]:
    """``localrun`` in this process on a free port (moto server, seeded table, dev IdP, gateway)."""
    from localrun.__main__ import start

    run = start(0)
    try:
        yield run
    finally:
        run.stop()  # and the environment is the tests' again
