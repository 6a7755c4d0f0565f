"""The OAuth2 adapter's answers to a provider that fails, without sockets (urlopen is faked)."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from internship import errors
from internship.auth import oauth2
from internship.auth.adapter import Tokens, UserAttributes
from internship.auth.oauth2 import OAuth2Provider


class Answer(io.BytesIO):
    def __init__(self, body: bytes, status: int = 200) -> None:
        super().__init__(body)
        self.status = status


def provider(secret: Any = lambda: "s3cret") -> OAuth2Provider:
    return OAuth2Provider(
        authorize_url="https://sso.example.gov.cn/authorize",
        token_url="https://sso.example.gov.cn/token",
        userinfo_url="https://sso.example.gov.cn/userinfo",
        client_id="internship-portal",
        client_secret=secret,
    )


@pytest.fixture
def calls() -> list[tuple[urllib.request.Request, float]]:
    return []


def fake(monkeypatch: pytest.MonkeyPatch, calls: list[Any], outcome: Any) -> None:
    def urlopen(request: urllib.request.Request, timeout: float) -> Answer:
        calls.append((request, timeout))
        if isinstance(outcome, BaseException):
            raise outcome
        return Answer(*outcome)

    monkeypatch.setattr(oauth2.urllib.request, "urlopen", urlopen)


def test_exchange_posts_the_code_verifier_and_authenticates_the_client(monkeypatch, calls):
    fake(monkeypatch, calls, (json.dumps({"access_token": "at", "token_type": "Bearer"}).encode(),))

    tokens = provider().exchange("the-code", "the-verifier", "https://api.example.gov.cn/auth/callback")

    request, timeout = calls[0]
    form = dict(urllib.parse.parse_qsl(request.data.decode()))
    assert tokens.access_token == "at"
    assert timeout == 3.0
    assert request.get_method() == "POST"
    assert request.get_header("Authorization").startswith("Basic ")
    assert form["code_verifier"] == "the-verifier"
    assert form["grant_type"] == "authorization_code"
    assert form["redirect_uri"] == "https://api.example.gov.cn/auth/callback"
    assert "at" not in repr(tokens)


def test_userinfo_reads_the_attributes_with_the_bearer_token(monkeypatch, calls):
    answer = {"name": " 张晓明 ", "idNumber": "140105200301011219", "mobile": "13834560001", "realNameLevel": 3}
    fake(monkeypatch, calls, (json.dumps(answer, ensure_ascii=False).encode(),))

    user = provider().userinfo(Tokens("at"))

    assert isinstance(user, UserAttributes)
    assert calls[0][0].get_header("Authorization") == "Bearer at"
    assert (user.name, user.id_number, user.mobile, user.real_name_level) == (
        "张晓明",
        "140105200301011219",
        "13834560001",
        "3",
    )
    assert user.id_number not in repr(user)


@pytest.mark.parametrize(
    "outcome",
    [
        urllib.error.HTTPError("https://sso", 503, "down", {}, io.BytesIO(b"")),  # type: ignore[arg-type]
        urllib.error.HTTPError("https://sso", 401, "no", {}, io.BytesIO(b'{"error":"invalid_client"}')),  # type: ignore[arg-type]
        TimeoutError("timed out"),
        urllib.error.URLError("connection refused"),
        (b"<html>not json</html>",),
        (b"[1, 2]",),
        (b'{"token_type": "Bearer"}',),
        (b'{"access_token": "at"}', 204),
    ],
)
def test_provider_failures_are_upstream_unavailable(monkeypatch, calls, outcome):
    fake(monkeypatch, calls, outcome)

    with pytest.raises(errors.UpstreamUnavailable):
        provider().exchange("code", "verifier", "https://api.example.gov.cn/auth/callback")


@pytest.mark.parametrize("answer", [b"{}", b'{"name": "", "idNumber": "x"}', b'{"name": "A"}', b"null"])
def test_incomplete_userinfo_is_upstream_unavailable(monkeypatch, calls, answer):
    fake(monkeypatch, calls, (answer,))

    with pytest.raises(errors.UpstreamUnavailable):
        provider().userinfo(Tokens("at"))


def test_a_used_or_expired_code_asks_the_citizen_to_log_in_again(monkeypatch, calls):
    refusal = urllib.error.HTTPError("https://sso", 400, "bad", {}, io.BytesIO(b'{"error":"invalid_grant"}'))  # type: ignore[arg-type]
    fake(monkeypatch, calls, refusal)

    with pytest.raises(errors.BadRequest, match="重新登录"):
        provider().exchange("code", "verifier", "https://api.example.gov.cn/auth/callback")


def test_an_unavailable_client_secret_is_upstream_unavailable(monkeypatch, calls):
    fake(monkeypatch, calls, (b'{"access_token": "at"}',))

    def broken() -> str:
        raise RuntimeError("parameter store down")

    with pytest.raises(errors.UpstreamUnavailable):
        provider(broken).exchange("code", "verifier", "https://api.example.gov.cn/auth/callback")
    assert calls == []


# --- provider settings: client authentication, attribute mapping --------------------------------


def test_client_secret_post_sends_the_secret_in_the_form_and_no_basic_header(monkeypatch, calls):
    fake(monkeypatch, calls, (json.dumps({"access_token": "at"}).encode(),))
    post = OAuth2Provider(
        authorize_url="https://op.example/authorize",
        token_url="https://op.example/token",
        userinfo_url="https://op.example/userinfo",
        client_id="internship-portal",
        client_secret=lambda: "s3cret",
        client_auth_method="client_secret_post",
    )

    post.exchange("the-code", "the-verifier", "https://api.example.gov.cn/auth/callback")

    request, _ = calls[0]
    form = dict(urllib.parse.parse_qsl(request.data.decode()))
    assert request.get_header("Authorization") is None
    assert (form["client_id"], form["client_secret"]) == ("internship-portal", "s3cret")


# The OpenID Connect standard claims (OIDC Core §5.1) plus a provider-specific ID number claim.
OIDC_ATTRIBUTES = {
    "name": "name",
    "idNumber": "id_number",
    "phone": "phone_number",
    "gender": "gender",
    "birthDate": "birthdate",
    "realNameLevel": "",
}


def mapped(attributes: dict[str, str]) -> OAuth2Provider:
    return OAuth2Provider(
        authorize_url="https://op.example/authorize",
        token_url="https://op.example/token",
        userinfo_url="https://op.example/userinfo",
        client_id="internship-portal",
        client_secret=lambda: "s3cret",
        attributes=attributes,
    )


def test_standard_claims_are_read_through_the_configured_mapping(monkeypatch, calls):
    claims = {
        "sub": "248289761001",
        "name": "张晓明",
        "id_number": "140105200301011219",
        "phone_number": "+86 138 3456 0001",
        "gender": "male",
        "birthdate": "2003-01-01",
        "mobile": "13999999999",  # not mapped: ignored
    }
    fake(monkeypatch, calls, (json.dumps(claims, ensure_ascii=False).encode(),))

    user = mapped(OIDC_ATTRIBUTES).userinfo(Tokens("at"))

    assert isinstance(user, UserAttributes)
    assert (user.name, user.id_number, user.mobile, user.gender, user.birth_date) == (
        "张晓明",
        "140105200301011219",
        "+86 138 3456 0001",
        "male",
        "2003-01-01",
    )


@pytest.mark.parametrize(("claim", "label"), [("name", "姓名"), ("id_number", "公民身份号码")])
def test_an_answer_without_a_needed_attribute_is_a_clear_502_in_chinese(monkeypatch, calls, claim, label):
    claims = {"name": "张晓明", "id_number": "140105200301011219", "phone_number": "+8613834560001"}
    del claims[claim]
    fake(monkeypatch, calls, (json.dumps(claims, ensure_ascii=False).encode(),))

    with pytest.raises(errors.UpstreamUnavailable) as raised:
        mapped(OIDC_ATTRIBUTES).userinfo(Tokens("at"))

    assert raised.value.status == 502
    assert raised.value.code == "UPSTREAM_UNAVAILABLE"
    assert label in raised.value.message
    assert "统一认证" in raised.value.message


def test_the_attribute_map_setting_overrides_the_defaults_and_refuses_unknown_fields(monkeypatch):
    from internship.settings import Settings
    from localrun import resources

    env = resources.environment()
    settings = Settings.from_environment(
        {**env, "AUTH_ATTRIBUTES": "idNumber=id_number, phone=phone_number,gender=gender"}
    )

    assert settings.auth_attributes == {
        "name": "name",
        "idNumber": "id_number",
        "gender": "gender",
        "birthDate": "",
        "phone": "phone_number",
        "realNameLevel": "realNameLevel",
    }
    for bad in ("email=email", "name=", "phone"):
        with pytest.raises(ValueError, match="AUTH_ATTRIBUTES"):
            Settings.from_environment({**env, "AUTH_ATTRIBUTES": bad})


def test_the_legal_person_login_has_its_own_settings_where_given_and_the_personal_ones_otherwise():
    from internship.auth.adapter import identity_provider
    from internship.settings import Settings
    from localrun import resources

    env = resources.environment()
    same = identity_provider(Settings.from_environment(env), unit=True)
    own = identity_provider(
        Settings.from_environment(
            {
                **env,
                "AUTH_UNIT_AUTHORIZE_URL": "https://sso.example.gov.cn/legal/authorize?userType=2",
                "AUTH_UNIT_SCOPE": "openid org",
                "AUTH_UNIT_ATTRIBUTES": "unitCreditCode=uscc, unitName=org_name,operatorName=name",
            }
        ),
        unit=True,
    )

    assert isinstance(same, OAuth2Provider)
    assert isinstance(own, OAuth2Provider)
    assert (same.authorize_url, same.scope) == (env["AUTH_AUTHORIZE_URL"], env["AUTH_SCOPE"])
    assert same.attributes == {"unitCreditCode": "creditCode", "unitName": "corpName", "operatorName": "name",
                               "phone": "mobile"}  # fmt: skip
    assert own.token_url == env["AUTH_TOKEN_URL"]  # not separated: the personal login's
    assert own.attributes["unitCreditCode"] == "uscc"
    location = own.authorization_url("st", "ch", "https://api.example/auth/callback")
    assert location.startswith("https://sso.example.gov.cn/legal/authorize?userType=2&response_type=code&")
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["scope"] == "openid org"
    for bad in ("idNumber=id", "unitName=", "unitCreditCode"):
        with pytest.raises(ValueError, match="AUTH_UNIT_ATTRIBUTES"):
            Settings.from_environment({**env, "AUTH_UNIT_ATTRIBUTES": bad})


def test_a_legal_person_answer_is_the_unit_and_its_operator(monkeypatch, calls):
    from internship.auth.adapter import UnitAttributes

    claims = {"creditCode": "91140105057318466N", "corpName": "山西晋创软件科技有限公司", "name": "张经理",
              "mobile": "13934561001"}  # fmt: skip
    fake(monkeypatch, calls, (json.dumps(claims, ensure_ascii=False).encode(),))
    unit_login = OAuth2Provider(
        authorize_url="https://sso.example.gov.cn/authorize",
        token_url="https://sso.example.gov.cn/token",
        userinfo_url="https://sso.example.gov.cn/userinfo",
        client_id="internship-portal",
        client_secret=lambda: "s3cret",
        unit=True,
    )

    unit = unit_login.userinfo(Tokens("at"))

    assert unit == UnitAttributes("91140105057318466N", "山西晋创软件科技有限公司", "张经理", "13934561001")
    assert "13934561001" not in repr(unit)
    assert "张经理" not in repr(unit)
    fake(monkeypatch, calls, (json.dumps({"corpName": "某单位"}, ensure_ascii=False).encode(),))
    with pytest.raises(errors.UpstreamUnavailable, match="统一社会信用代码"):
        unit_login.userinfo(Tokens("at"))
