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
