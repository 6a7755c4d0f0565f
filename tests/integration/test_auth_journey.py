"""The whole login dance over HTTP against the local run: login → dev IdP → callback → /me → logout."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests

from internship import checks, clock

pytestmark = pytest.mark.integration


def _people(base_url: str) -> list[dict[str, str]]:
    response = requests.get(f"{base_url}/dev/sso/people", timeout=10)
    assert response.status_code == 200, response.text
    people: list[dict[str, str]] = response.json()
    return people


def _demo(base_url: str, persona: str) -> dict[str, str]:
    return next(p for p in _people(base_url) if p["persona"] == persona)


def test_dev_idp_lists_demo_people_with_valid_id_numbers_and_fitting_ages(stack):
    # (the host units of its 法人登录 follow them: tests/integration/test_unit_journey.py)
    people = {p["persona"]: p for p in _people(stack.base_url) if p["persona"] != "UNIT"}

    assert {"COLLEGE_GRADUATE", "UNEMPLOYED_YOUTH", "INELIGIBLE"} <= set(people)
    ages = {}
    for persona, person in people.items():
        assert set(person) == {"idNumber", "name", "persona"}
        assert checks.normalize_id_number(person["idNumber"]) == person["idNumber"]
        ages[persona] = clock.age_on(checks.birth_date_of(person["idNumber"]), clock.today())
    assert 20 <= ages["COLLEGE_GRADUATE"] <= 24
    assert 16 <= ages["UNEMPLOYED_YOUTH"] <= 24
    assert ages["INELIGIBLE"] == 30


def test_whole_journey_login_me_logout(stack, login):
    person = _demo(stack.base_url, "COLLEGE_GRADUATE")

    # Given a citizen who logged in through the unified auth (the dev IdP) with a cookie
    session = login(person["idNumber"])
    # When they open the portal, their name shows and the ID number is masked
    me = session.get(f"{stack.base_url}/me", timeout=10)
    assert me.status_code == 200, me.text
    assert me.json()["name"] == person["name"]
    assert me.json()["idNumberMasked"] == checks.mask_id_number(person["idNumber"])
    # When they log out from the portal
    out = session.post(f"{stack.base_url}/auth/logout", headers={"Origin": stack.base_url}, timeout=10)
    assert out.status_code == 204, out.text
    # Then the old session no longer opens anything, even if the cookie was kept
    again = requests.get(f"{stack.base_url}/me", cookies={"session": session.token}, timeout=10)
    assert again.status_code == 401
    assert again.json()["code"] == "UNAUTHENTICATED"


def test_bearer_journey_for_apps(stack, login):
    session = login(_demo(stack.base_url, "UNEMPLOYED_YOUTH")["idNumber"], bearer=True)

    assert session.get(f"{stack.base_url}/me", timeout=10).status_code == 200
    assert session.post(f"{stack.base_url}/auth/logout", timeout=10).status_code == 204
    assert session.get(f"{stack.base_url}/me", timeout=10).status_code == 401


def test_any_valid_id_number_logs_in_as_a_generated_person(stack, login):
    first17 = "14010920010203123"
    number = first17 + checks.id_check_char(first17)

    me = login(number).get(f"{stack.base_url}/me", timeout=10)

    assert me.status_code == 200
    assert me.json()["birthDate"] == "2001-02-03"
    assert me.json()["gender"] == "MALE"  # 17th digit odd


def _start(base_url: str, jar: requests.Session | None = None) -> str:
    """``GET /auth/login`` in ``jar`` (a cookie jar, as ``curl -b jar -c jar`` keeps): the provider's URL."""
    start = (jar or requests.Session()).get(
        f"{base_url}/auth/login", params={"redirect": "/positions"}, allow_redirects=False, timeout=10
    )
    assert start.status_code == 302
    return urljoin(start.url, start.headers["Location"])


def _hint(url: str, id_number: str) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("login_hint", id_number)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def test_the_authorize_page_lists_the_demo_people(stack):
    page = requests.get(_start(stack.base_url), timeout=10)

    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    for person in _people(stack.base_url):
        assert (person["name"] in page.text) is (person["persona"] != "UNIT")  # units: the 法人登录 tab
    assert "法人登录" in page.text


def test_an_invalid_login_hint_is_refused(stack):
    assert requests.get(_hint(_start(stack.base_url), "140105200001011230"), timeout=10).status_code == 400


def test_a_reused_or_forged_state_is_refused(stack):
    person = _demo(stack.base_url, "INELIGIBLE")
    jar = requests.Session()
    back = jar.get(_hint(_start(stack.base_url, jar), person["idNumber"]), allow_redirects=False, timeout=10)
    callback = urljoin(back.url, back.headers["Location"])

    first = jar.get(callback, allow_redirects=False, timeout=10)
    second = jar.get(callback, allow_redirects=False, timeout=10)
    forged = jar.get(
        f"{stack.base_url}/auth/callback", params={"code": "x", "state": "forged"}, allow_redirects=False, timeout=10
    )

    assert first.status_code == 302
    assert first.headers["Location"] == "/positions"
    assert second.status_code == 400
    assert second.json()["code"] == "BAD_REQUEST"
    assert forged.status_code == 400


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_callback_url_opened_without_the_logins_cookie_opens_no_session(stack, accept):
    """The hijack of issue 14 over HTTP: someone signs in as themselves, stops at the callback and
    gets the URL opened by another client (a link, an image, history): no session, in either form."""
    person = _demo(stack.base_url, "COLLEGE_GRADUATE")
    attacker = requests.Session()
    back = attacker.get(_hint(_start(stack.base_url, attacker), person["idNumber"]), allow_redirects=False, timeout=10)
    leaked = urljoin(back.url, back.headers["Location"])
    victim = requests.Session()
    _start(stack.base_url, victim)  # the victim's own login: a login_state cookie, not the attacker's

    for client in (requests.Session(), victim):
        opened = client.get(leaked, headers={"Accept": accept}, allow_redirects=False, timeout=10)
        assert opened.status_code == 400, opened.text
        assert "session" not in opened.cookies
        assert "token" not in opened.json()
        assert client.get(f"{stack.base_url}/me", timeout=10).status_code == 401
