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
from internship.auth.adapter import Tokens
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
    answer = {"name": " 张晓明 ", "idNumber": "14010520030101123X", "mobile": "13834560001", "realNameLevel": 3}
    fake(monkeypatch, calls, (json.dumps(answer, ensure_ascii=False).encode(),))

    user = provider().userinfo(Tokens("at"))

    assert calls[0][0].get_header("Authorization") == "Bearer at"
    assert (user.name, user.id_number, user.mobile, user.real_name_level) == (
        "张晓明",
        "14010520030101123X",
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
