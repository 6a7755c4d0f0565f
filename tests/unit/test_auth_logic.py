"""Pure logic of the login: session expiry, redirect safety, PKCE, masking, dev people."""

from __future__ import annotations

import urllib.parse
from datetime import date

import pytest

from internship import checks, clock, errors
from internship.auth import sessions
from internship.auth.models import MeResponse
from internship.auth.oauth2 import OAuth2Provider, code_challenge, new_code_verifier
from internship.auth.service import callback_url, safe_redirect
from internship.callers import Caller, Kind
from localrun import dev_sso

HOUR = 3600


# --- sessions -----------------------------------------------------------------------------------


def test_new_session_expires_after_idle_window_and_never_after_absolute():
    session = sessions.open_session("p1", now=1_000, idle_seconds=8 * HOUR, absolute_seconds=24 * HOUR)

    assert session.idle_expires_at == 1_000 + 8 * HOUR
    assert session.absolute_expires_at == 1_000 + 24 * HOUR
    assert session.expires_at == 1_000 + 8 * HOUR
    assert session.is_live(1_000 + 8 * HOUR - 1)
    assert not session.is_live(1_000 + 8 * HOUR)


def test_idle_window_longer_than_absolute_is_capped():
    session = sessions.open_session("p1", now=0, idle_seconds=48 * HOUR, absolute_seconds=24 * HOUR)

    assert session.expires_at == 24 * HOUR


def test_a_slid_session_still_ends_at_its_absolute_expiry():
    session = sessions.Session(
        Caller(kind=Kind.PERSON, person_id="p1"), idle_expires_at=30 * HOUR, absolute_expires_at=24 * HOUR
    )

    assert session.is_live(23 * HOUR)
    assert not session.is_live(24 * HOUR)


def test_tokens_are_256_bit_random_and_only_their_hash_is_kept():
    first, second = sessions.new_token(), sessions.new_token()

    assert first != second
    assert len(first) == 43  # 32 bytes, base64url without padding
    digest = sessions.token_hash(first)
    assert len(digest) == 64
    assert first not in digest


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Authorization": "Bearer abc"}, ("abc", "bearer")),
        ({"authorization": "bearer abc "}, ("abc", "bearer")),
        ({"Cookie": "theme=dark; session=tok123; lang=zh"}, ("tok123", "cookie")),
        ({"cookie": "session=tok123"}, ("tok123", "cookie")),
        ({"Authorization": "Bearer abc", "Cookie": "session=tok123"}, ("abc", "bearer")),
        ({"Authorization": "Basic abc", "Cookie": "session=tok123"}, None),
        ({"Cookie": "mysession=x; session="}, None),
        ({}, None),
        (None, None),
    ],
)
def test_credentials_are_taken_from_bearer_header_or_session_cookie(headers, expected):
    assert sessions.token_from_headers(headers) == expected


# --- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["/", "/positions", "/applications?status=PENDING&month=2025-01", "/me#top", "/a/b/../c"]
)
def test_same_site_paths_are_kept(value):
    assert safe_redirect(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "positions",
        "/ok\r\nSet-Cookie: x=y",
        "/\tevil",
        "/" + "a" * 3000,
    ],
)
def test_anything_else_goes_to_the_home_page(value):
    assert safe_redirect(value) == "/"


def test_callback_url_is_derived_from_the_request(monkeypatch):
    from internship.settings import get_settings

    monkeypatch.setenv("AUTH_REDIRECT_URI", "")
    monkeypatch.setenv("COOKIE_SECURE", "true")
    get_settings.cache_clear()

    assert (
        callback_url({"Host": "abc.execute-api.cn-north-1.amazonaws.com.cn"}, "x", "prod")
        == "https://abc.execute-api.cn-north-1.amazonaws.com.cn/prod/auth/callback"
    )
    assert callback_url({"host": "api.example.gov.cn"}, "x", "prod") == "https://api.example.gov.cn/auth/callback"

    monkeypatch.setenv("AUTH_REDIRECT_URI", "https://portal.example.gov.cn/api/auth/callback")
    get_settings.cache_clear()
    assert callback_url({"Host": "elsewhere"}, "x", "prod") == "https://portal.example.gov.cn/api/auth/callback"


# --- PKCE and the authorize URL -----------------------------------------------------------------


def test_pkce_s256_matches_rfc_7636_appendix_b():
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_code_verifier_is_long_random_and_url_safe():
    verifier = new_code_verifier()

    assert 43 <= len(verifier) <= 128
    assert verifier != new_code_verifier()
    assert set(verifier) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_authorization_url_carries_client_state_and_s256_challenge():
    provider = OAuth2Provider(
        authorize_url="https://sso.example.gov.cn/oauth2/authorize",
        token_url="https://sso.example.gov.cn/oauth2/token",
        userinfo_url="https://sso.example.gov.cn/oauth2/userinfo",
        client_id="internship-portal",
        client_secret=lambda: pytest.fail("the secret is not needed to start a login"),
    )

    url = provider.authorization_url("st4te", "ch4llenge", "https://api.example.gov.cn/auth/callback")

    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert parts.netloc == "sso.example.gov.cn"
    assert query == {
        "response_type": "code",
        "client_id": "internship-portal",
        "redirect_uri": "https://api.example.gov.cn/auth/callback",
        "scope": "openid profile",
        "state": "st4te",
        "code_challenge": "ch4llenge",
        "code_challenge_method": "S256",
    }


# --- masking ------------------------------------------------------------------------------------


def test_me_shows_id_number_and_phone_masked():
    profile = {
        "personId": "p1",
        "name": "张晓明",
        "idNumber": "14010520030101123X",
        "gender": "MALE",
        "birthDate": "2003-01-01",
        "phone": "13834560001",
    }

    answer = MeResponse.of(profile).model_dump(by_alias=True)

    assert answer == {
        "kind": "PERSON",
        "name": "张晓明",
        "idNumberMasked": "140105********123X",
        "gender": "MALE",
        "birthDate": "2003-01-01",
        "phoneMasked": "138****0001",
        "certificate": None,  # no 就业创业证 issued here yet
    }


def test_me_without_phone_masks_nothing_to_something():
    profile = {"name": "李", "idNumber": "14010520030101123X", "gender": "MALE", "birthDate": "2003-01-01", "phone": ""}

    assert MeResponse.of(profile).phone_masked == ""


# --- development identity provider people -------------------------------------------------------


@pytest.mark.parametrize("today", [date(2025, 6, 15), date(2024, 2, 29), date(2026, 1, 1), clock.today()])
def test_demo_people_have_valid_id_numbers_and_ages_fitting_their_persona(today):
    people = {person.persona: person for person in dev_sso.demo_people(today)}

    assert {"COLLEGE_GRADUATE", "UNEMPLOYED_YOUTH", "INELIGIBLE"} <= set(people)
    for person in people.values():
        assert checks.normalize_id_number(person.id_number) == person.id_number
        assert person.id_number.startswith("14")
        assert checks.MOBILE.match(person.mobile)
    age = {persona: clock.age_on(checks.birth_date_of(p.id_number), today) for persona, p in people.items()}
    assert 20 <= age["COLLEGE_GRADUATE"] <= 24
    assert 16 <= age["UNEMPLOYED_YOUTH"] <= 24
    assert age["INELIGIBLE"] == 30


def test_a_generated_person_keeps_the_given_id_number():
    number = dev_sso.id_number("140105", date(2001, 3, 4), 7, male=False)

    person = dev_sso.generated_person(number)

    assert person.id_number == number
    assert checks.gender_of(number) == "FEMALE"
    assert checks.MOBILE.match(person.mobile)
    assert person.name


# --- the provider's attributes, checked --------------------------------------------------------


def test_an_e164_phone_number_becomes_the_mobile_and_a_matching_gender_and_birth_date_pass():
    from internship.auth.adapter import UserAttributes
    from internship.auth.service import _checked

    user = _checked(
        UserAttributes(
            name="张晓明",
            id_number="140105200301011219",
            mobile="+86 138-3456-0001",
            gender="male",
            birth_date="2003-01-01",
        )
    )

    assert (user.id_number, user.mobile) == ("140105200301011219", "13834560001")


@pytest.mark.parametrize(("gender", "birth_date"), [("female", ""), ("", "2003-01-02"), ("女", "20030101")])
def test_a_gender_or_birth_date_the_id_number_contradicts_is_a_provider_failure(gender, birth_date):
    from internship.auth.adapter import UserAttributes
    from internship.auth.service import _checked

    with pytest.raises(errors.UpstreamUnavailable):
        _checked(UserAttributes(name="张晓明", id_number="140105200301011219", gender=gender, birth_date=birth_date))
