"""Runs the template's functions in-process as Lambda runs them: containers, each serving one
invocation at a time, with a Lambda-like context.

A container is one import of the function's module (``template.Function.load``): the first is
``functions.<dir>.app`` (the name the tests, the OpenAPI build and the bench use too), the others
``functions.<dir>.app_container<N>``. Concurrent requests to one function get containers of their
own (up to ``MAX_CONTAINERS``), as they would deployed, so racing submits really race into
DynamoDB's conditions. The shared layer is imported once, as a layer's modules are within each
container (its caches are thread-safe).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from localrun import events, template

MAX_CONTAINERS = 8  # per function, as a concurrency limit would cap it deployed
REGION = "us-east-1"
Invoke = Callable[[str, dict[str, Any]], Any]


def ensure_import_paths() -> None:
    """The shared layer and the repository on ``sys.path``, as Lambda puts the layer on it."""
    for path in (str(template.ROOT / "layers" / "shared"), str(template.ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


@dataclass
class LambdaContext:
    """What the Lambda runtime hands a handler (the fields Powertools and our code read)."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    timeout_seconds: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@contextlib.contextmanager
def own_resolver_state(module: ModuleType, event: dict[str, Any], context: Any) -> Iterator[None]:
    """This invocation's event and context as the container's own resolvers' attributes, for the
    length of the invocation.

    Powertools' ``resolve`` keeps both on the class ``BaseRouter``, shared by every resolver in the
    process (harmless deployed: one invocation per process); here containers run at once on threads,
    and one handler read another's event (found by the load test). An instance attribute wins over
    the class's for every read through the resolver. It is removed afterwards: left behind, it would
    shadow the class's for a later call of the same module outside the gateway (a test calling the
    handler directly read the gateway's last event). Relies on Powertools keeping them plain class
    attributes; ``tests/functional/test_localrun_containers.py`` fails if that changes.
    """
    from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

    resolvers = [value for value in vars(module).values() if isinstance(value, ApiGatewayResolver)]
    for resolver in resolvers:
        # As the resolver's own ``resolve`` reads it (``internship.api`` reads the media type once).
        seen = getattr(resolver, "request_event", lambda raw: raw)(event)
        resolver.current_event = resolver._to_proxy_event(seen)
        resolver.lambda_context = context
    try:
        yield
    finally:
        for resolver in resolvers:
            vars(resolver).pop("current_event", None)
            vars(resolver).pop("lambda_context", None)


class FunctionHost:
    """The pool of containers: ``invoke(logical_id, event)`` runs the function in an idle container,
    or a new one (a cold start) while fewer than ``max_containers`` exist, else waits for one."""

    def __init__(
        self, functions: Mapping[str, template.Function] | None = None, max_containers: int = MAX_CONTAINERS
    ) -> None:
        ensure_import_paths()
        self.functions = dict(functions if functions is not None else template.functions())
        raw = template.load()
        self._globals = raw.get("Globals", {}).get("Function", {})
        self._props = {k: v.get("Properties", {}) for k, v in raw["Resources"].items()}
        self.max_containers = max_containers
        self._idle: dict[str, list[ModuleType]] = {name: [] for name in self.functions}
        self._started: dict[str, int] = dict.fromkeys(self.functions, 0)
        self._available = threading.Condition()

    def _acquire(self, function: template.Function) -> ModuleType:
        name = function.logical_id
        with self._available:
            while not self._idle[name] and self._started[name] >= self.max_containers:
                self._available.wait()
            if self._idle[name]:
                return self._idle[name].pop()
            index = self._started[name]
            self._started[name] += 1
        try:
            return function.load(container=index + 1)  # a cold start, outside the pool's lock
        except BaseException:
            with self._available:
                self._started[name] -= 1
                self._available.notify()
            raise

    def _release(self, logical_id: str, module: ModuleType) -> None:
        with self._available:
            self._idle[logical_id].append(module)
            self._available.notify()

    def context(self, logical_id: str) -> LambdaContext:
        props = self._props.get(logical_id, {})
        return LambdaContext(
            function_name=logical_id,
            memory_limit_in_mb=int(props.get("MemorySize", self._globals.get("MemorySize", 128))),
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{events.ACCOUNT}:function:{logical_id}",
            aws_request_id=str(uuid.uuid4()),
            timeout_seconds=float(props.get("Timeout", self._globals.get("Timeout", 3))),
        )

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        function = self.functions[logical_id]
        module = self._acquire(function)
        try:
            context = self.context(logical_id)
            with own_resolver_state(module, event, context):
                return getattr(module, function.handler.rpartition(".")[2])(event, context)
        finally:
            self._release(logical_id, module)
