"""Native apps' login over HTTP against the local run (SPEC §4 "Mobile apps", RFC 8252 + PKCE).

The app opens ``/auth/login?redirect=<its registered URI>&code_challenge=…`` in the system browser
(here a ``requests.Session``: the browser's cookie jar), the browser goes through the unified auth
(the dev IdP) and comes back to the callback, which sends it to ``<app URI>?code=<one-time code>``;
the app, with its own HTTP client and no cookies, trades code and verifier at ``POST /auth/token``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
import requests

APP_URI = "internship-app://auth/callback"


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _demo_id_number(base_url: str) -> str:
    people = requests.get(f"{base_url}/dev/sso/people", timeout=10).json()
    return str(next(p for p in people if p["persona"] == "UNEMPLOYED_YOUTH")["idNumber"])


def _browser_to_app(base_url: str, challenge: str, browser: requests.Session | None = None) -> requests.Response:
    """The system browser's part: login → unified auth → callback; the callback's answer."""
    browser = browser or requests.Session()
    query = {"redirect": APP_URI, "code_challenge": challenge, "code_challenge_method": "S256"}
    start = browser.get(f"{base_url}/auth/login", params=query, allow_redirects=False, timeout=10)
    assert start.status_code == 302, start.text
    authorize = (
        urljoin(start.url, start.headers["Location"]) + "&" + urlencode({"login_hint": _demo_id_number(base_url)})
    )
    back = browser.get(authorize, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    return browser.get(urljoin(back.url, back.headers["Location"]), allow_redirects=False, timeout=10)


def _one_time_code(answer: requests.Response) -> str:
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == APP_URI
    query = parse_qsl(location.query)
    assert [name for name, _ in query] == ["code"]  # nothing else in the URL
    assert not location.fragment
    return query[0][1]


def _token(base_url: str, code: str, verifier: str) -> requests.Response:
    return requests.post(f"{base_url}/auth/token", json={"code": code, "codeVerifier": verifier}, timeout=10)


def test_an_app_logs_in_through_the_system_browser_and_a_one_time_code(stack):
    verifier, challenge = _pkce()

    handed_over = _browser_to_app(stack.base_url, challenge)
    code = _one_time_code(handed_over)
    answer = _token(stack.base_url, code, verifier)

    assert "session" not in handed_over.cookies  # the browser got no session: the app gets it
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.json()
    assert set(body) == {"token", "expiresAt", "profile"}
    assert body["profile"]["gender"] == "FEMALE"
    me = requests.get(f"{stack.base_url}/me", headers={"Authorization": f"Bearer {body['token']}"}, timeout=10)
    assert me.status_code == 200
    assert me.json()["name"] == body["profile"]["name"]


def test_a_wrong_verifier_gets_nothing_and_does_not_burn_the_apps_code(stack):
    verifier, challenge = _pkce()
    code = _one_time_code(_browser_to_app(stack.base_url, challenge))

    wrong = _token(stack.base_url, code, _pkce()[0])
    right = _token(stack.base_url, code, verifier)

    assert wrong.status_code == 400, wrong.text
    assert wrong.json()["code"] == "BAD_REQUEST"
    assert "登录" in wrong.json()["message"]
    assert right.status_code == 200, right.text


def test_a_code_is_single_use(stack):
    verifier, challenge = _pkce()
    code = _one_time_code(_browser_to_app(stack.base_url, challenge))

    first = _token(stack.base_url, code, verifier)
    again = _token(stack.base_url, code, verifier)

    assert first.status_code == 200, first.text
    assert again.status_code == 400, again.text
    assert "token" not in again.json()


def test_an_unknown_code_and_a_malformed_body_are_refused(stack):
    verifier, _ = _pkce()

    assert _token(stack.base_url, "made-up", verifier).status_code == 400
    short = _token(stack.base_url, "made-up", "short")
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "codeVerifier"


@pytest.mark.parametrize(
    "query",
    [
        {"redirect": "evil-app://auth/callback", "code_challenge": "A" * 43, "code_challenge_method": "S256"},
        {"redirect": "https://evil.example/cb", "code_challenge": "A" * 43, "code_challenge_method": "S256"},
        {"redirect": APP_URI},  # a registered URI without the app's challenge
        {"redirect": APP_URI, "code_challenge": "A" * 43, "code_challenge_method": "plain"},
    ],
)
def test_an_unregistered_redirect_or_a_missing_challenge_is_refused(stack, query):
    answer = requests.get(f"{stack.base_url}/auth/login", params=query, allow_redirects=False, timeout=10)

    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "BAD_REQUEST"
    assert "Location" not in answer.headers


def test_the_app_callback_also_needs_the_login_state_cookie(stack):
    _, challenge = _pkce()
    browser = requests.Session()
    query = {"redirect": APP_URI, "code_challenge": challenge, "code_challenge_method": "S256"}
    start = browser.get(f"{stack.base_url}/auth/login", params=query, allow_redirects=False, timeout=10)
    authorize = (
        urljoin(start.url, start.headers["Location"]) + "&" + urlencode({"login_hint": _demo_id_number(stack.base_url)})
    )
    back = browser.get(authorize, allow_redirects=False, timeout=10)

    leaked = requests.get(urljoin(back.url, back.headers["Location"]), allow_redirects=False, timeout=10)

    assert leaked.status_code == 400
    assert "Location" not in leaked.headers
