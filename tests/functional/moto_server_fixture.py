"""moto's server on 127.0.0.1 with the template's resources, for tests that need threads.

It is the local run's (``localrun.motoserver``): moto's DynamoDB requests are atomic as DynamoDB's
are, so the race tests check our conditions, not moto's threading.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from internship import aws
from localrun import resources
from localrun.motoserver import MotoServer

SERVING: dict[str, MotoServer] = {}  # the server behind each url ``moto_server`` yields


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = MotoServer().start()
    url = server.url
    SERVING[url] = server
    requests.post(f"{url}/moto-api/reset", timeout=10)  # moto's state is per process, not per server
    try:
        with monkeypatch.context() as patch:
            patch.setenv("AWS_ENDPOINT_URL", url)
            aws.reset_clients()
            resources.create(
                aws.dynamodb(), aws.s3(), aws.events(), secretsmanager=aws._session().client("secretsmanager")
            )
            yield url
            aws.reset_clients()
    finally:
        requests.post(f"{url}/moto-api/reset", timeout=10)
        server.stop()
        del SERVING[url]


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions at the same moment in threads; each result is a value or the exception."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - a refusal is one of the race's outcomes
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
