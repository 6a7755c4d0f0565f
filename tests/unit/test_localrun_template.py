"""The local run reads template.yaml itself: the functions' environment resolves completely."""

import pytest

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


def test_the_local_gateway_calls_the_authorizer_the_template_names() -> None:
    # The API's authorizer is the published version behind AutoPublishAlias (!Ref AuthorizerFunction.Alias,
    # for SnapStart): the local run, the bench and the tests call that function before every citizen route.
    assert template.authorizer_function() == "AuthorizerFunction"
    assert template.load()["Globals"]["Function"]["AutoPublishAlias"] == "live"


def test_every_function_publishes_a_new_version_when_the_shared_layer_changes() -> None:
    # With AutoPublishAlias, SAM publishes a version when a function's own code changes; the domain code is in
    # the layer, so without these the alias would keep calling the previous layer after a deployment.
    functions = template.resources_of_type("AWS::Serverless::Function")
    assert functions
    assert [
        name for name, f in functions.items() if f["Properties"].get("AutoPublishAliasAllProperties") is not True
    ] == []
    assert template.load()["Resources"]["SharedLayer"]["Properties"]["PublishLambdaVersion"] is True


def test_the_access_log_keeps_id_numbers_and_login_codes_out() -> None:
    from localrun.__main__ import redact

    line = '"GET /dev/sso/authorize?client_id=x&login_hint=11010519491231002X&state=abc HTTP/1.1" 302 -'
    assert redact(line) == '"GET /dev/sso/authorize?client_id=x&login_hint=***&state=*** HTTP/1.1" 302 -'
    assert redact('"GET /auth/callback?code=k27Q&state=s1 HTTP/1.1" 302 -') == (
        '"GET /auth/callback?code=***&state=*** HTTP/1.1" 302 -'
    )


def test_make_run_takes_another_provider_from_the_auth_variables_and_keeps_the_secret_apart():
    from localrun.__main__ import external_provider

    none = external_provider({"PATH": "/bin", "AUTH_ATTRIBUTES": "phone=phone_number"})
    other = external_provider(
        {
            "AUTH_AUTHORIZE_URL": "https://op.example/auth",
            "AUTH_TOKEN_URL": "https://op.example/token",
            "AUTH_USERINFO_URL": "https://op.example/me",
            "AUTH_CLIENT_ID": "internship-portal",
            "AUTH_CLIENT_SECRET": "s3cret",
            "AUTH_CLIENT_SECRET_NAME": "/elsewhere",
        }
    )

    assert none.url == ""
    assert none.settings == {"AUTH_ATTRIBUTES": "phone=phone_number"}  # applies to the dev IdP too
    assert other.url == "https://op.example/auth"
    assert other.client_secret == "s3cret"
    assert "AUTH_CLIENT_SECRET" not in other.settings  # a value for Parameter Store, not for the functions
    assert "AUTH_CLIENT_SECRET_NAME" not in other.settings  # the local run's own parameter holds it
    assert other.settings["AUTH_ISSUER"] == ""  # never the dev IdP's issuer
    with pytest.raises(SystemExit, match="AUTH_TOKEN_URL"):
        external_provider({"AUTH_AUTHORIZE_URL": "https://op.example/auth"})


def test_a_comma_delimited_list_default_is_a_list_as_cloudformation_gives_it() -> None:
    env = resources.environment()

    assert env["AUTH_APP_REDIRECT_URIS"] == "internship-app://auth/callback"
    assert env["AUTH_CLIENT_AUTH_METHOD"] == "client_secret_basic"
    assert env["IDENTITY_KEY_SECRET"] == resources.LOCAL_NAMES["IdentityKeySecret"]
