"""Login, sessions, the authorizer, /me and logout in-process against moto (SPEC §4 "Auth").

The identity provider is real HTTP on loopback: the development IdP of the local run (so the
OAuth2 adapter and the dev IdP are tested against each other), with faults for failures.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import types
import urllib.parse
from datetime import date
from typing import Any

import pytest

from internship import aws, keys
from internship.auth import sessions
from internship.observability import logger
from internship.settings import get_settings
from localrun import dev_sso
from localrun.events import api_event, authorizer_request
from tests.conftest import load_handler
from tests.fake_idp import ORIGIN, FakeIdp
from tests.functional.conftest import call_api

HOST = "127.0.0.1:3000"
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:localapi/local/GET/me"
HOUR = 3600

# A valid ID number nobody seeded (the dev IdP generates a person for it).
STRANGER = dev_sso.id_number("140105", date(2002, 5, 17), 42, male=True)


@pytest.fixture
def dev_idp(fake_idp: FakeIdp) -> str:
    """Where the one fake provider (``tests/fake_idp.py``, the local run's dev IdP) listens."""
    return fake_idp.base


def browser_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """One GET without following redirects (the test plays the browser)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=5)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def header(response: dict[str, Any], name: str) -> list[str]:
    values: list[str] = []
    for key, value in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            values.extend(value)
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower() and value not in values:
            values.append(value)
    return values


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None


class KeepJar:
    """Marker: the callback sends the ``login_state`` cookie the last ``start`` received."""


KEEP_JAR = KeepJar()


def cookie_of(response: dict[str, Any], name: str) -> str:
    cookie = next(c for c in header(response, "Set-Cookie") if c.startswith(f"{name}="))
    return cookie.split(";")[0].split("=", 1)[1]


class Portal:
    """The API as API Gateway would call it: auth routes, the authorizer, /me."""

    login_state: str | None = None

    def __init__(self, context: Any) -> None:
        self.authorizer = load_handler("authorizer")
        self.context = context

    def call(self, method: str, path: str, **event: Any) -> dict[str, Any]:
        """The route's function as the gateway calls it (``tests.functional.conftest.call_api``)."""
        return call_api(method, path, self.context, **event)

    def start(self, redirect: str | None = "/positions", as_: str | None = None) -> tuple[dict[str, Any], str]:
        """``GET /auth/login`` (``as_="unit"``: a host unit's 法人登录); keeps the ``login_state``
        cookie as a browser's jar would."""
        query = {"redirect": redirect} if redirect is not None else {}
        if as_:
            query["as"] = as_
        response = self.call("GET", "/auth/login", query=query or None, headers={"Host": HOST})
        assert response["statusCode"] == 302
        location = header(response, "Location")[0]
        self.login_state = cookie_of(response, "login_state")
        return response, location

    def callback(
        self, query: dict[str, str], accept: str = "text/html", login_state: str | KeepJar | None = KEEP_JAR
    ) -> dict[str, Any]:
        """``GET /auth/callback`` with the jar's ``login_state`` cookie (or the one given, or none)."""
        binding = self.login_state if isinstance(login_state, KeepJar) else login_state
        headers = {"Host": HOST, "Accept": accept, **({"Cookie": f"login_state={binding}"} if binding else {})}
        return self.call("GET", "/auth/callback", query=query, headers=headers)

    def provider_redirect(self, authorize_url: str, id_number: str) -> dict[str, str]:
        status, headers, _ = browser_get(f"{authorize_url}&login_hint={id_number}")
        assert status == 302
        back = urllib.parse.urlsplit(headers["Location"])
        assert f"{back.scheme}://{back.netloc}{back.path}" == f"http://{HOST}/auth/callback"
        return dict(urllib.parse.parse_qsl(back.query))

    def login(
        self, id_number: str, accept: str = "text/html", redirect: str | None = "/positions", as_: str | None = None
    ) -> dict[str, Any]:
        """Log in with ``login_hint=id_number`` (a credit code with ``as_="unit"``)."""
        _, authorize_url = self.start(redirect, as_)
        return self.callback(self.provider_redirect(authorize_url, id_number), accept)

    def authorize(self, headers: dict[str, str], now: int | None = None, path: str = "/me") -> dict[str, Any]:
        if now is not None:
            self.authorizer.time = types.SimpleNamespace(time=lambda: now)  # type: ignore[attr-defined]
        try:
            method_arn = METHOD_ARN.removesuffix("/me") + path
            event = authorizer_request(api_event("GET", path, headers=headers), method_arn)
            answer: dict[str, Any] = self.authorizer.lambda_handler(event, self.context)
            return answer
        finally:
            import time

            self.authorizer.time = time  # type: ignore[attr-defined]

    def me(self, headers: dict[str, str]) -> dict[str, Any]:
        """GET /me through the authorizer, as the gateway chains them (401 when refused)."""
        try:
            policy = self.authorize(headers)
        except Exception as refused:  # the authorizer refuses with a bare Exception
            if str(refused) != "Unauthorized":
                raise
            return {"statusCode": 401}
        return self.call("GET", "/me", headers=headers, authorizer=policy["context"])

    def logout(self, headers: dict[str, str]) -> dict[str, Any]:
        return self.call("POST", "/auth/logout", headers=headers)


@pytest.fixture
def portal(lambda_context: Any) -> Portal:
    return Portal(lambda_context)


def session_cookie(response: dict[str, Any]) -> str:
    return cookie_of(response, "session")


def stored_items(prefix: str) -> list[dict[str, Any]]:
    items = aws.dynamodb().scan(TableName=get_settings().table_name)["Items"]
    return [item for item in items if item["pk"]["S"].startswith(prefix)]


def demo(persona: str) -> dev_sso.Person:
    return next(p for p in dev_sso.demo_people() if p.persona == persona)


# --- the login dance ----------------------------------------------------------------------------


def test_login_sends_the_browser_to_the_provider_with_state_and_pkce(dev_idp: str, portal: Portal):
    _, location = portal.start("/positions")

    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert location.startswith(f"{dev_idp}/authorize?")
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == f"http://{HOST}/auth/callback"
    assert len(query["state"]) >= 43
    assert len(stored_items("STATE#")) == 1
    assert query["state"] not in json.dumps(stored_items("STATE#")[0]["codeVerifier"])


def test_browser_login_sets_an_http_only_cookie_and_returns_to_the_saved_page(dev_idp: str, portal: Portal):
    person = demo("COLLEGE_GRADUATE")

    response = portal.login(person.id_number, redirect="/applications?status=PENDING")

    assert response["statusCode"] == 302
    assert header(response, "Location") == ["/applications?status=PENDING"]
    cookie = next(c for c in header(response, "Set-Cookie") if c.startswith("session="))
    attributes = {part.strip() for part in cookie.split(";")[1:]}
    assert {"HttpOnly", "SameSite=Lax", "Path=/"} <= attributes
    assert "Secure" not in attributes  # the test environment is the local run's: plain HTTP
    token = session_cookie(response)
    stored = stored_items("SESSION#")
    assert len(stored) == 1
    assert token not in json.dumps(stored)
    assert stored[0]["pk"]["S"] == f"SESSION#{sessions.token_hash(token)}"
    assert int(stored[0]["ttl"]["N"]) == int(stored[0]["absoluteExpiresAt"]["N"])


def test_the_cookie_is_secure_when_deployed(dev_idp: str, portal: Portal, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COOKIE_SECURE", "true")
    monkeypatch.setenv("AUTH_REDIRECT_URI", f"http://{HOST}/auth/callback")
    get_settings.cache_clear()

    response = portal.login(demo("COLLEGE_GRADUATE").id_number)

    cookie = next(c for c in header(response, "Set-Cookie") if c.startswith("session="))
    assert "Secure" in {part.strip() for part in cookie.split(";")}


def test_an_unsafe_redirect_lands_on_the_home_page(dev_idp: str, portal: Portal):
    response = portal.login(demo("COLLEGE_GRADUATE").id_number, redirect="//evil.example/steal")

    assert header(response, "Location") == ["/"]


def test_app_login_answers_the_token_and_the_masked_profile(dev_idp: str, portal: Portal):
    person = demo("UNEMPLOYED_YOUTH")

    response = portal.login(person.id_number, accept="application/json")

    assert response["statusCode"] == 200
    answer = body(response)
    assert set(answer) == {"token", "expiresAt", "profile"}
    assert answer["expiresAt"].endswith("+08:00")
    assert answer["profile"]["name"] == person.name
    assert answer["profile"]["idNumberMasked"] == person.id_number[:6] + "********" + person.id_number[-4:]
    assert answer["profile"]["gender"] == "FEMALE"
    assert person.id_number not in response["body"]
    assert not [c for c in header(response, "Set-Cookie") if c.startswith("session=")]
    policy = portal.authorize({"Authorization": f"Bearer {answer['token']}"})
    assert policy["context"]["authMethod"] == "bearer"


def test_a_second_login_of_the_same_person_keeps_their_person_id(dev_idp: str, portal: Portal):
    first = body(portal.login(STRANGER, accept="application/json"))
    second = body(portal.login(STRANGER, accept="application/json"))

    one = portal.authorize({"Authorization": f"Bearer {first['token']}"})
    two = portal.authorize({"Authorization": f"Bearer {second['token']}"})
    assert one["context"]["personId"] == two["context"]["personId"]
    assert len(stored_items("PERSON#")) == 1
    assert len(stored_items("IDNUM#")) == 1
    assert STRANGER not in json.dumps(stored_items("IDNUM#"))


def test_the_identity_lookup_is_an_hmac_under_the_secret_key_not_a_plain_hash(dev_idp: str, portal: Portal):
    portal.login(STRANGER, accept="application/json")

    (lookup,) = stored_items("IDNUM#")
    secret = aws._session().client("secretsmanager").get_secret_value(SecretId=get_settings().identity_key_secret)
    keyed = hmac.new(secret["SecretString"].encode(), STRANGER.encode(), hashlib.sha256).hexdigest()
    assert lookup["pk"]["S"] == f"IDNUM#{keyed}"
    assert hashlib.sha256(STRANGER.encode()).hexdigest() not in json.dumps(stored_items(""))


def test_the_login_state_cookie_is_http_only_on_auth_for_ten_minutes(dev_idp: str, portal: Portal):
    response, _ = portal.start()

    (cookie,) = [c for c in header(response, "Set-Cookie") if c.startswith("login_state=")]
    attributes = {part.strip() for part in cookie.split(";")[1:]}
    assert {"HttpOnly", "Path=/auth", "Max-Age=600", "SameSite=Lax"} <= attributes
    assert header(response, "Cache-Control") == ["no-store"]


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_leaked_callback_url_logs_nobody_in(dev_idp: str, portal: Portal, accept: str):
    """Login CSRF: an attacker starts a login, signs in as themselves and does not follow the
    callback; a victim whose browser opens that URL (link, image, history) must get no session."""
    # Given the attacker's login, stopped at the callback
    _, authorize_url = portal.start("/applications")
    attackers_jar = portal.login_state
    leaked = portal.provider_redirect(authorize_url, STRANGER)
    # and a victim who started a login of their own (so holds a login_state cookie, not the attacker's)
    portal.start("/")
    victims_jar = portal.login_state

    for jar in (None, victims_jar):
        # When the victim's client opens the leaked callback URL
        refused = portal.callback(leaked, accept=accept, login_state=jar)
        # Then no session is opened, in either form
        assert refused["statusCode"] == 400, refused
        assert body(refused)["code"] == "BAD_REQUEST"
        assert not [c for c in header(refused, "Set-Cookie") if c.startswith("session=")]
        assert "token" not in body(refused)
    assert stored_items("SESSION#") == []
    # and the login still belongs to the client that started it
    assert portal.callback(leaked, accept=accept, login_state=attackers_jar)["statusCode"] in {200, 302}


def test_the_callback_refuses_an_iss_that_is_not_the_providers(
    dev_idp: str, portal: Portal, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("AUTH_ISSUER", dev_idp)
    get_settings.cache_clear()
    person = demo("COLLEGE_GRADUATE")

    _, authorize_url = portal.start()
    wrong = portal.callback(
        {**portal.provider_redirect(authorize_url, person.id_number), "iss": "https://evil.example"}
    )
    _, authorize_url = portal.start()
    right = portal.callback({**portal.provider_redirect(authorize_url, person.id_number), "iss": dev_idp})
    _, authorize_url = portal.start()
    absent = portal.callback(portal.provider_redirect(authorize_url, person.id_number))

    assert wrong["statusCode"] == 400
    assert "统一认证" in body(wrong)["message"]
    assert not [c for c in header(wrong, "Set-Cookie") if c.startswith("session=")]
    assert right["statusCode"] == 302
    assert absent["statusCode"] == 302  # RFC 9207: checked when the provider sends it


def test_an_iss_is_refused_when_no_issuer_is_configured(dev_idp: str, portal: Portal):
    _, authorize_url = portal.start()
    back = portal.provider_redirect(authorize_url, demo("COLLEGE_GRADUATE").id_number)

    assert portal.callback({**back, "iss": dev_idp})["statusCode"] == 400


def test_login_answers_are_not_stored_by_caches(dev_idp: str, portal: Portal):
    browser = portal.login(demo("COLLEGE_GRADUATE").id_number)
    app = portal.login(demo("COLLEGE_GRADUATE").id_number, accept="application/json")
    me = portal.me({"Cookie": f"session={session_cookie(browser)}"})

    for response in (browser, app, me):
        assert header(response, "Cache-Control") == ["no-store"], response


def test_a_reused_state_is_refused(dev_idp: str, portal: Portal):
    _, authorize_url = portal.start()
    back = portal.provider_redirect(authorize_url, demo("COLLEGE_GRADUATE").id_number)
    assert portal.callback(back)["statusCode"] == 302

    again = portal.callback(back)

    assert again["statusCode"] == 400
    assert body(again)["code"] == "BAD_REQUEST"
    assert "登录" in body(again)["message"]


def test_a_forged_state_is_refused_and_the_provider_is_not_asked(dev_idp: str, portal: Portal):
    response = portal.callback({"code": "anything", "state": "forged-state"})

    assert response["statusCode"] == 400
    assert body(response)["code"] == "BAD_REQUEST"
    assert stored_items("SESSION#") == []


def test_a_callback_without_state_is_refused(dev_idp: str, portal: Portal):
    assert portal.callback({"code": "anything"})["statusCode"] == 400


def test_an_expired_state_is_refused(dev_idp: str, portal: Portal):
    _, authorize_url = portal.start()
    back = portal.provider_redirect(authorize_url, demo("COLLEGE_GRADUATE").id_number)
    state_key = keys.login_state(back["state"])
    aws.dynamodb().update_item(
        TableName=get_settings().table_name,
        Key={k: {"S": v} for k, v in state_key.items()},
        UpdateExpression="SET #ttl = :past",
        ExpressionAttributeNames={"#ttl": "ttl"},
        ExpressionAttributeValues={":past": {"N": "1"}},
    )

    assert portal.callback(back)["statusCode"] == 400


# --- provider failures: 502, nothing stored -----------------------------------------------------


@pytest.mark.parametrize(
    "fault", [{"token": "5xx"}, {"token": "garbage"}, {"token": "hang"}, {"userinfo": "bad-id"}], ids=str
)
def test_provider_failures_answer_502_and_store_nothing(
    fake_idp: FakeIdp, portal: Portal, monkeypatch: pytest.MonkeyPatch, fault: dict[str, str]
):
    _, authorize_url = portal.start()
    back = portal.provider_redirect(authorize_url, STRANGER)
    for endpoint, mode in fault.items():
        setattr(fake_idp.faults, endpoint, mode)
    fake_idp.point_at(monkeypatch, timeout=0.3)

    response = portal.callback(back)

    assert response["statusCode"] == 502
    assert body(response)["code"] == "UPSTREAM_UNAVAILABLE"
    assert "统一认证" in body(response)["message"]
    assert stored_items("SESSION#") == []
    assert stored_items("PERSON#") == []
    assert stored_items("IDNUM#") == []


# --- the authorizer -----------------------------------------------------------------------------


def test_the_authorizer_hands_the_person_id_to_handlers(dev_idp: str, portal: Portal):
    token = session_cookie(portal.login(demo("COLLEGE_GRADUATE").id_number))

    policy = portal.authorize({"Cookie": f"session={token}"})

    statement = policy["policyDocument"]["Statement"][0]
    assert statement == {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": METHOD_ARN}
    assert policy["context"]["authMethod"] == "cookie"
    assert policy["context"]["personId"] == policy["principalId"]
    assert len(stored_items(f"PERSON#{policy['context']['personId']}")) == 1


@pytest.mark.parametrize(
    "headers",
    [{}, {"Cookie": "session=forged-token"}, {"Authorization": "Bearer forged-token"}, {"Authorization": "Basic x"}],
)
def test_missing_or_forged_credentials_are_refused(dev_idp: str, portal: Portal, headers: dict[str, str]):
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        portal.authorize(headers)


def test_idle_sessions_slide_but_expire_after_24_hours_at_most(dev_idp: str, portal: Portal):
    cookie = {"Cookie": f"session={session_cookie(portal.login(demo('COLLEGE_GRADUATE').id_number))}"}
    login_at = int(__import__("time").time())  # after the login: however slow it was, its windows end by then

    for hours in (7, 14, 21):  # each use slides the 8-hour idle window
        assert portal.authorize(cookie, now=login_at + hours * HOUR)["context"]["personId"]

    with pytest.raises(Exception, match="Unauthorized"):
        portal.authorize(cookie, now=login_at + 24 * HOUR + 1)


def test_an_idle_session_expires_after_8_hours(dev_idp: str, portal: Portal):
    cookie = {"Cookie": f"session={session_cookie(portal.login(demo('COLLEGE_GRADUATE').id_number))}"}
    login_at = int(__import__("time").time())  # after the login: however slow it was, its windows end by then

    with pytest.raises(Exception, match="Unauthorized"):
        portal.authorize(cookie, now=login_at + 8 * HOUR + 1)
    assert portal.me(cookie)["statusCode"] == 200  # within the window it still works


# --- /me and logout -----------------------------------------------------------------------------


def test_me_answers_the_profile_masked(dev_idp: str, portal: Portal):
    person = demo("COLLEGE_GRADUATE")
    cookie = {"Cookie": f"session={session_cookie(portal.login(person.id_number))}"}

    response = portal.me(cookie)

    assert response["statusCode"] == 200
    assert body(response) == {
        "kind": "PERSON",
        "name": person.name,
        "idNumberMasked": person.id_number[:6] + "********" + person.id_number[-4:],
        "gender": "MALE",
        "birthDate": f"{person.id_number[6:10]}-{person.id_number[10:12]}-{person.id_number[12:14]}",
        "phoneMasked": person.mobile[:3] + "****" + person.mobile[-4:],
        "certificate": None,  # the graduate persona holds no 就业创业证: 资格自查 sends them to 求职登记 (issue 25)
    }


def test_logout_revokes_the_session_and_clears_the_cookie(dev_idp: str, portal: Portal):
    cookie = {"Cookie": f"session={session_cookie(portal.login(demo('COLLEGE_GRADUATE').id_number))}"}
    assert portal.me(cookie)["statusCode"] == 200

    response = portal.logout({**cookie, "Origin": ORIGIN})

    assert response["statusCode"] == 204
    cleared = next(c for c in header(response, "Set-Cookie") if c.startswith("session="))
    assert "Max-Age=0" in cleared
    assert portal.me(cookie)["statusCode"] == 401
    assert stored_items("SESSION#") == []
    assert portal.logout({**cookie, "Origin": ORIGIN})["statusCode"] == 204  # idempotent


def test_logout_of_a_bearer_session(dev_idp: str, portal: Portal):
    token = body(portal.login(demo("UNEMPLOYED_YOUTH").id_number, accept="application/json"))["token"]
    bearer = {"Authorization": f"Bearer {token}"}

    assert portal.logout(bearer)["statusCode"] == 204
    assert portal.me(bearer)["statusCode"] == 401


def test_cookie_logout_from_a_foreign_origin_is_refused(dev_idp: str, portal: Portal):
    cookie = {"Cookie": f"session={session_cookie(portal.login(demo('COLLEGE_GRADUATE').id_number))}"}

    refused = portal.logout({**cookie, "Origin": "https://evil.example"})
    bare = portal.logout(cookie)

    assert refused["statusCode"] == 403
    assert body(refused)["code"] == "FORBIDDEN"
    assert bare["statusCode"] == 403  # no Origin and no X-Requested-With
    assert portal.me(cookie)["statusCode"] == 200  # still logged in
    assert portal.logout({**cookie, "X-Requested-With": "XMLHttpRequest"})["statusCode"] == 204


def test_bearer_logout_is_not_subject_to_the_origin_check(dev_idp: str, portal: Portal):
    token = body(portal.login(demo("UNEMPLOYED_YOUTH").id_number, accept="application/json"))["token"]

    response = portal.logout({"Authorization": f"Bearer {token}", "Origin": "https://evil.example"})

    assert response["statusCode"] == 204


# --- nothing personal in the logs ---------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        formatter = logger.registered_formatter
        self.lines.append(formatter.format(record) if formatter else record.getMessage())


def test_no_log_line_carries_an_id_number_a_phone_or_a_token(
    dev_idp: str, portal: Portal, capsys: pytest.CaptureFixture[str]
):
    capture = Capture()
    root_capture = Capture()
    functions_logger = logging.getLogger(logger.name)
    functions_logger.addHandler(capture)
    logging.getLogger().addHandler(root_capture)
    person = demo("COLLEGE_GRADUATE")
    try:
        browser = portal.login(person.id_number)
        token = session_cookie(browser)
        app_token = body(portal.login(person.id_number, accept="application/json"))["token"]
        assert portal.me({"Cookie": f"session={token}"})["statusCode"] == 200
        assert portal.me({"Authorization": f"Bearer {app_token}"})["statusCode"] == 200
        assert portal.me({"Cookie": "session=forged"})["statusCode"] == 401
        assert portal.logout({"Cookie": f"session={token}", "Origin": ORIGIN})["statusCode"] == 204
    finally:
        functions_logger.removeHandler(capture)
        logging.getLogger().removeHandler(root_capture)
    printed = capsys.readouterr()
    text = "\n".join([*capture.lines, *root_capture.lines, printed.out, printed.err])

    assert "login succeeded" in text  # the capture did see the login's log lines
    for secret in (person.id_number, person.mobile, token, app_token, sessions.token_hash(token)):
        assert secret not in text
    assert person.id_number.lower() not in text.lower()


# --- metrics ------------------------------------------------------------------------------------


def test_logins_are_counted(dev_idp: str, portal: Portal, monkeypatch: pytest.MonkeyPatch):
    from internship.auth import service

    counted: list[str] = []
    monkeypatch.setattr(service.metrics, "add_metric", lambda name, unit, value: counted.append(name))

    portal.login(demo("COLLEGE_GRADUATE").id_number)
    portal.callback({"code": "x", "state": "forged"})

    assert counted == ["LoginSucceeded", "LoginFailed"]


# --- native apps: the one-time code expires -----------------------------------------------------


def _app_code(portal: Portal, verifier: str) -> str:
    from internship.auth.oauth2 import code_challenge

    query = {"redirect": "internship-app://auth/callback", "code_challenge": code_challenge(verifier)}
    query["code_challenge_method"] = "S256"
    response = portal.call("GET", "/auth/login", query=query, headers={"Host": HOST})
    portal.login_state = cookie_of(response, "login_state")
    back = portal.provider_redirect(header(response, "Location")[0], demo("COLLEGE_GRADUATE").id_number)
    handed_over = portal.callback(back)
    location = urllib.parse.urlsplit(header(handed_over, "Location")[0])
    return dict(urllib.parse.parse_qsl(location.query))["code"]


@pytest.mark.parametrize(("seconds_later", "status"), [(290, 200), (301, 400)])
def test_an_apps_one_time_code_lasts_five_minutes(
    dev_idp: str, portal: Portal, monkeypatch: pytest.MonkeyPatch, seconds_later: int, status: int
):
    from datetime import timedelta

    from internship import clock

    verifier = "v" * 43
    code = _app_code(portal, verifier)
    issued = clock.now()
    monkeypatch.setattr(clock, "now", lambda: issued + timedelta(seconds=seconds_later))

    response = portal.call(
        "POST",
        "/auth/token",
        body={"code": code, "codeVerifier": verifier},
        headers={"Host": HOST, "Content-Type": "application/json"},
    )

    assert response["statusCode"] == status, response
    assert header(response, "Cache-Control") == ["no-store"]
    assert ("token" in body(response)) is (status == 200)
    assert len(stored_items("APPCODE#")) == (0 if status == 200 else 1)  # used: gone; expired: TTL's to delete
    assert code not in json.dumps(stored_items(""))  # only the code's hash is kept
