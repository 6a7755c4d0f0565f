"""Strict settings: a container missing a variable the template always sets is refused on its first
invocation, with one log line naming the variable, before any request is served."""

from __future__ import annotations

import re

import pytest

from internship.observability import lambda_entry
from internship.settings import Settings, SettingsError, get_settings
from localrun import resources


def test_the_local_environment_is_complete_and_typed():
    settings = Settings.from_environment(resources.environment())
    assert settings.auth_protocol == "oauth2"
    assert settings.retention_years == 3
    assert settings.cookie_secure is False
    assert settings.allowed_origins == tuple(resources.LOCAL_ORIGINS)


@pytest.mark.parametrize("name", ["TABLE_NAME", "ATTACHMENTS_BUCKET", "AUTH_TOKEN_URL", "AUTH_PROTOCOL", "STAGE"])
def test_a_missing_required_variable_is_named(name):
    env = resources.environment()
    del env[name]
    with pytest.raises(SettingsError, match=f"{name} is not set"):
        Settings.from_environment(env)


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("AUTH_PROTOCOL", "saml", "AUTH_PROTOCOL is 'saml', not one of oauth2"),
        ("AUTH_CLIENT_AUTH_METHOD", "private_key_jwt", "not one of client_secret_basic, client_secret_post"),
        ("IDEMPOTENCY_TABLE_NAME", " ", "IDEMPOTENCY_TABLE_NAME is empty"),
        ("RETENTION_YEARS", "99", "RETENTION_YEARS is 99, not between 1 and 30"),
        ("JURISDICTION_CACHE_SECONDS", "soon", "JURISDICTION_CACHE_SECONDS is 'soon', not a number"),
        ("COOKIE_SECURE", "maybe", "COOKIE_SECURE is 'maybe', not true or false"),
    ],
)
def test_a_wrong_value_is_named_with_what_is_allowed(name, value, complaint):
    with pytest.raises(SettingsError, match=complaint):
        Settings.from_environment({**resources.environment(), name: value})


def test_every_problem_is_reported_at_once():
    env = resources.environment()
    del env["TABLE_NAME"], env["EVENT_BUS_NAME"]
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment({**env, "STAGE": "staging"})
    assert all(name in str(refused.value) for name in ("TABLE_NAME", "EVENT_BUS_NAME", "STAGE"))


def test_variables_the_template_leaves_out_have_defaults():
    env = {k: v for k, v in resources.environment().items() if k != "COOKIE_SECURE"}
    settings = Settings.from_environment(env)
    assert settings.cookie_secure is True
    assert (settings.session_idle_hours, settings.session_absolute_hours) == (8, 24)


def test_a_misconfigured_container_refuses_its_first_invocation_with_one_clear_line(
    monkeypatch, lambda_context, caplog
):
    served = []
    handler = lambda_entry(lambda event, context: served.append(event), correlation_path=None)
    monkeypatch.delenv("AUDIT_TABLE_NAME")
    get_settings.cache_clear()

    with pytest.raises(SettingsError):
        handler({}, lambda_context)

    assert served == []  # no request reaches the function
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["invalid environment: AUDIT_TABLE_NAME is not set"]


def test_a_fixed_environment_is_read_again_after_cache_clear(monkeypatch):
    monkeypatch.delenv("TABLE_NAME")
    get_settings.cache_clear()
    with pytest.raises(SettingsError):
        get_settings()
    monkeypatch.setenv("TABLE_NAME", "fixed")
    get_settings.cache_clear()
    assert get_settings().table_name == "fixed"


def test_the_required_variables_are_exactly_those_the_template_gives_every_function():
    from localrun import template

    with pytest.raises(SettingsError) as refused:
        Settings.from_environment({})
    required = set(re.findall(r"(\w+) is not set", str(refused.value)))
    given = {name for name in template.global_environment() if not name.startswith("POWERTOOLS_")}
    assert required == given
