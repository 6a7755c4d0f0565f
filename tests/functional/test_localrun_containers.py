"""The local run's containers (``localrun.containers``): concurrent invocations of one function run in
containers of their own, and each handler reads its own invocation's event and context, although
Powertools keeps both on a class shared by every resolver in the process."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localrun.containers import FunctionHost
from localrun.events import api_event
from localrun.template import Function

APP = """
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()
BARRIER = None  # set by the test: both invocations are inside resolve() before either reads its event


@app.get("/who/<name>")
def who(name):
    BARRIER.wait(timeout=30)
    return {"name": name, "path": app.current_event.path, "request": app.lambda_context.aws_request_id}


lambda_handler = app.resolve
"""


@pytest.fixture
def whoami(tmp_path: Path) -> Iterator[Function]:
    code = tmp_path / "whoami_containers"
    code.mkdir()
    (code / "app.py").write_text(APP, encoding="utf-8")
    function = Function("Who", code, "app.lambda_handler")
    barrier = threading.Barrier(2)
    containers = [function.load(container=n) for n in (1, 2)]
    for module in containers:
        module.BARRIER = barrier  # type: ignore[attr-defined]
    yield function
    for module in containers:
        sys.modules.pop(module.__name__, None)


def test_concurrent_invocations_each_read_their_own_event_and_context(whoami: Function) -> None:
    host = FunctionHost({"Who": whoami}, max_containers=2)
    answers: dict[str, Any] = {}

    def call(name: str) -> None:
        event = api_event("GET", f"/who/{name}", resource="/who/{name}", path_parameters={"name": name})
        answers[name] = host.invoke("Who", event)

    threads = [threading.Thread(target=call, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    bodies = {name: json.loads(answer["body"]) for name, answer in answers.items()}
    assert bodies["alice"]["path"] == "/who/alice"
    assert bodies["bob"]["path"] == "/who/bob"
    assert bodies["alice"]["request"] != bodies["bob"]["request"]


def test_a_handler_called_after_the_gateway_reads_its_own_event(whoami: Function) -> None:
    # Given one invocation through the containers (the gateway's way)
    whoami.load(container=1).BARRIER = threading.Barrier(1)  # type: ignore[attr-defined]
    host = FunctionHost({"Who": whoami}, max_containers=1)
    first = api_event("GET", "/who/alice", resource="/who/{name}", path_parameters={"name": "alice"})
    host.invoke("Who", first)
    # When the same module's handler is then called directly (as a test calls a function)
    module = whoami.load(container=1)
    second = api_event("GET", "/who/bob", resource="/who/{name}", path_parameters={"name": "bob"})
    answer = module.lambda_handler(second, host.context("Who"))
    # Then it reads its own event, not the gateway's last one
    assert json.loads(answer["body"])["path"] == "/who/bob"


LOGGING_APP = """
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from internship.observability import lambda_entry, logger

app = APIGatewayRestResolver()
BARRIER = None  # set by the test: both invocations have their log keys set before either logs


@app.get("/ping")
def ping():
    BARRIER.wait(timeout=30)
    logger.info("inside")
    return {}


lambda_handler = lambda_entry(app.resolve)
"""


@pytest.fixture
def two_functions(tmp_path: Path) -> Iterator[dict[str, Function]]:
    barrier = threading.Barrier(2)
    functions, modules = {}, []
    for name in ("Alpha", "Beta"):
        code = tmp_path / f"logging_{name.lower()}"
        code.mkdir()
        (code / "app.py").write_text(LOGGING_APP, encoding="utf-8")
        functions[name] = Function(name, code, "app.lambda_handler")
        modules.append(functions[name].load())
        modules[-1].BARRIER = barrier  # type: ignore[attr-defined]
    yield functions
    for module in modules:
        sys.modules.pop(module.__name__, None)


def test_lines_logged_by_two_functions_at_once_each_name_their_own_function_and_request(
    two_functions: dict[str, Function],
) -> None:
    import io
    import logging

    from internship.observability import logger
    from localrun.logkeys import per_invocation_keys

    host = FunctionHost(two_functions)
    output = io.StringIO()
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    stream = handler.setStream(output)
    requests = {"Alpha": "request-of-alpha", "Beta": "request-of-beta"}

    def call(name: str) -> None:
        host.invoke(name, api_event("GET", "/ping", request_id=requests[name]))

    try:
        with per_invocation_keys():  # as the local run runs its functions
            threads = [threading.Thread(target=call, args=(name,)) for name in requests]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
    finally:
        handler.setStream(stream)

    lines = [json.loads(line) for line in output.getvalue().splitlines() if '"inside"' in line]
    assert sorted((line["function_name"], line["correlation_id"]) for line in lines) == sorted(requests.items())
    assert {line["function_request_id"] for line in lines}.isdisjoint(requests.values())  # the context's own id
    assert len({line["function_request_id"] for line in lines}) == 2
