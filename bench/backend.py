"""The moto server every measurement talks to, the functions' environment, in-process handlers."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYER = ROOT / "layers" / "shared"
EVENTS = ROOT / "events"
for _path in (str(LAYER), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from localrun import resources, template  # noqa: E402

Handler = Callable[[dict[str, Any], Any], Any]


def function_environment(endpoint: str) -> dict[str, str]:
    """The functions' environment (``Globals``) pointed at ``endpoint`` with fake credentials."""
    env = resources.environment()
    env.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            # Logger at ERROR and metrics disabled: a benchmark measures work, not stdout.
        }
    )
    return env


@contextmanager
def moto_server() -> Iterator[str]:
    """The local run's moto server (``localrun.motoserver``) with the template's resources; yields the endpoint.

    The process environment is switched to the functions' environment for the duration.
    """
    import logging

    from localrun.motoserver import MotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = MotoServer().start()  # the same stand-in as the local run (moto's DynamoDB made DynamoDB-like)
    endpoint = server.url
    saved = dict(os.environ)
    try:
        os.environ.pop("AWS_PROFILE", None)
        os.environ.update(function_environment(endpoint))
        from internship import aws, settings

        settings.get_settings.cache_clear()
        aws.reset_clients()
        resources.create(aws.dynamodb(), aws.s3(), aws.events(), secretsmanager=aws._session().client("secretsmanager"))
        yield endpoint
    finally:
        import requests

        # moto keeps its state per process, not per server: forget it, so a later part starts empty.
        requests.post(f"{endpoint}/moto-api/reset", timeout=60)
        server.stop()
        os.environ.clear()
        os.environ.update(saved)


def functions() -> dict[str, template.Function]:
    """Every ``AWS::Serverless::Function`` of ``template.yaml``, by logical id."""
    return template.functions()


def handler_parts(function: template.Function) -> tuple[str, str]:
    module, _, attribute = function.handler.rpartition(".")
    return module, attribute


def load_handler(function: template.Function) -> Handler | None:
    """The function's handler in-process (``template.Function.load``); None when it has no code yet."""
    try:
        handler = function.handler_function()
    except FileNotFoundError:
        return None
    return handler if callable(handler) else None


class LambdaContext:
    """The fields Powertools reads from a Lambda context."""

    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "00000000-0000-4000-8000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000
