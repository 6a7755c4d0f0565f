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
