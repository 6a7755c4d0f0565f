"""The local run reads template.yaml itself: the functions' environment resolves completely."""

from localrun import resources, template


def test_every_global_variable_resolves_to_text() -> None:
    env = resources.environment()
    unresolved = {name: value for name, value in env.items() if "{" in value or "Fn::" in value}
    assert unresolved == {}
    assert env["TABLE_NAME"] == resources.LOCAL_NAMES["AppTable"]


def test_detailed_tracing_is_off_unless_asked_for() -> None:
    refs = template.parameter_defaults()
    variable = template.global_environment()["POWERTOOLS_TRACE_DISABLED"]
    assert template.resolve(variable, refs) == "true"
    assert template.resolve(variable, {**refs, "DetailedTracing": "true"}) == "false"


def test_the_access_log_keeps_id_numbers_and_login_codes_out() -> None:
    from localrun.__main__ import redact

    line = '"GET /dev/sso/authorize?client_id=x&login_hint=11010519491231002X&state=abc HTTP/1.1" 302 -'
    assert redact(line) == '"GET /dev/sso/authorize?client_id=x&login_hint=***&state=*** HTTP/1.1" 302 -'
    assert redact('"GET /auth/callback?code=k27Q&state=s1 HTTP/1.1" 302 -') == (
        '"GET /auth/callback?code=***&state=*** HTTP/1.1" 302 -'
    )
