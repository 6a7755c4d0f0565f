"""The one fake identity provider of the tests: ``localrun.dev_sso`` (the local run's), served on a free
loopback port, with the functions' ``AUTH_*`` variables pointing at it and the client secret in (moto's)
Parameter Store. ``ProviderFaults`` make its token or userinfo endpoint fail. The certified provider of
the interoperability test (``tests/oidc``) is the other side of that test, not a fake.

Registered for every test by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from internship import aws
from internship.settings import get_settings
from localrun import dev_sso

ORIGIN = "http://127.0.0.1:3000"
SECRET = "dev-client-secret"


@dataclass(frozen=True)
class FakeIdp:
    base: str  # e.g. http://127.0.0.1:40123, where /authorize, /token and /userinfo are
    faults: dev_sso.ProviderFaults

    def point_at(self, monkeypatch: pytest.MonkeyPatch, *, timeout: float) -> None:
        for name, endpoint in (("AUTHORIZE", "authorize"), ("TOKEN", "token"), ("USERINFO", "userinfo")):
            monkeypatch.setenv(f"AUTH_{name}_URL", f"{self.base}/{endpoint}")
        monkeypatch.setenv("AUTH_TIMEOUT_SECONDS", str(timeout))
        get_settings.cache_clear()


def _forget_parameters() -> None:
    from aws_lambda_powertools.utilities import parameters
    from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS

    DEFAULT_PROVIDERS.clear()
    parameters.clear_caches()


@pytest.fixture
def fake_idp(aws_backend: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIdp]:
    """The development identity provider, the functions pointed at it (3 s timeout; 0.3 s once a
    test sets a fault, so a hang is seen quickly)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        """The fake's access log is not the functions' log (and shows login_hint)."""

        def log_request(self, *args: Any, **kwargs: Any) -> None:
            return

    aws._session().client("ssm").put_parameter(
        Name=get_settings().auth_client_secret_name, Value=SECRET, Type="SecureString"
    )
    _forget_parameters()
    faults = dev_sso.ProviderFaults()
    app = dev_sso.make_app(ORIGIN, SECRET, faults=faults)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    idp = FakeIdp(f"http://127.0.0.1:{server.server_address[1]}", faults)
    idp.point_at(monkeypatch, timeout=3.0)
    try:
        yield idp
    finally:
        faults.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        _forget_parameters()
