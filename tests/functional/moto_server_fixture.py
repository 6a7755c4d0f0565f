"""moto's server on 127.0.0.1 with the template's resources, for tests that need threads.

It is the local run's (``localrun.motoserver``): moto's DynamoDB requests are atomic as DynamoDB's
are, so the race tests check our conditions, not moto's threading.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from internship import aws
from localrun import resources
from localrun.motoserver import MotoServer


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = MotoServer().start()
    url = server.url
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
