"""Shared fixtures: the functions' environment, moto with the template's resources, events."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

from localrun import resources, template  # noqa: E402

EVENTS = ROOT / "events"
# The one fake identity provider (``fake_idp``), for every suite that logs in in-process.
pytest_plugins = ["tests.fake_idp"]

# Property tests assert behaviour, never speed: no per-example deadline (a slow machine raises
# DeadlineExceeded / FlakyFailure with one) and no "too slow" health check.
settings.register_profile("any-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("any-machine")

# As in Lambda, the environment exists before any handler module is imported (test modules
# import them at collection time); the autouse fixture below restores it for every test.
for _name, _value in resources.environment().items():
    os.environ.setdefault(_name, _value)


def load_event(name: str) -> dict[str, Any]:
    """A sample event from ``events/`` (the same files ``sam local invoke -e`` takes)."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


def load_handler(function: str) -> ModuleType:
    """Import ``functions/<function>/app.py`` as the local run does (``functions.<function>.app``)."""
    (match,) = (f for f in template.functions().values() if f.code_uri.name == function)
    return match.load()


def _forget_cached_secrets() -> None:
    """Settings, clients and what a container reads once (the identity and form keys, Powertools' parameter
    providers and their caches): each test is a fresh container against its own moto."""
    from aws_lambda_powertools.utilities import parameters
    from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS

    from internship import aws, settings
    from internship.auth import profiles
    from internship.forms import codes

    settings.get_settings.cache_clear()
    aws.reset_clients()
    profiles._identity_key.cache_clear()
    codes._key.cache_clear()
    DEFAULT_PROVIDERS.clear()
    parameters.clear_caches()


@pytest.fixture(autouse=True)
def function_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs with the functions' environment and fake credentials."""
    from internship.reviewers import jurisdiction

    for name, value in resources.environment().items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    _forget_cached_secrets()
    jurisdiction.forget_jurisdictions()
    yield
    _forget_cached_secrets()
    # Deployed, every invocation flushes its metrics; tests that call services directly do not.
    from internship.observability import metrics

    metrics.clear_metrics()


@pytest.fixture
def aws_backend() -> Iterator[None]:
    """moto in-process with the tables, bucket and bus of ``template.yaml``."""
    from moto import mock_aws

    from internship import aws

    with mock_aws():
        aws.reset_clients()
        resources.create(aws.dynamodb(), aws.s3(), aws.events(), secretsmanager=aws._session().client("secretsmanager"))
        yield
    aws.reset_clients()


class LambdaContext:
    """The fields Powertools reads from a Lambda context."""

    function_name = "test-function"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


@pytest.fixture
def lambda_context() -> LambdaContext:
    return LambdaContext()
