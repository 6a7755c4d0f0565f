"""Interoperability with a standards-compliant OpenID Connect provider the project did not write.

panva's ``oidc-provider`` (npm, OpenID Certified; ``tests/oidc``, installed by ``make`` with
``npm ci``) runs on loopback; the local run is pointed at it only through the ``AUTH_*`` settings
that ``make run`` documents: its endpoints, ``client_secret_post`` (the only method the provider
accepts for this client), the scope, the standard claims mapped by configuration (``phone_number``
→ phone, ``gender``, ``birthdate``; the ID number under a claim of its own) and its issuer for the
RFC 9207 check. A person signs in through the provider's own login and consent pages, driven here
with ``requests`` as a browser (with a cookie jar) would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests

from localrun import dev_sso
from tests.integration.conftest import Stack, free_port, local_run

OIDC = Path(__file__).resolve().parents[1] / "oidc"
READY_SECONDS = 60
CLIENT_ID, CLIENT_SECRET = "internship-portal", "interop-client-secret-0123456789"
ID_NUMBER = dev_sso.id_number("140105", date(2003, 1, 1), 12, male=True)
UNIT_CREDIT_CODE = "91140105057318466N"
ACCOUNTS = {
    # Standard claims (OIDC Core §5.1) and the provider's own ID number claim.
    "zhang": {
        "name": "张晓明",
        "id_number": ID_NUMBER,
        "phone_number": "+86 138 3456 0001",
        "phone_number_verified": True,
        "gender": "male",
        "birthdate": "2003-01-01",
    },
    # An account whose answer lacks the ID number we need.
    "anonymous": {"name": "无证件", "phone_number": "+86 139 0000 0000"},
    # A host unit's operator signing in as the unit (法人登录): the organisation under the "org" scope.
    "jinchuang": {
        "name": "张经理",
        "phone_number": "+86 139 3456 1001",
        "credit_code": UNIT_CREDIT_CODE,
        "org_name": "山西晋创软件科技有限公司",
    },
}


@dataclass
class OpenIdProvider:
    issuer: str
    process: subprocess.Popen[str]
    output: list[str]


@pytest.fixture(scope="module")
def ports() -> tuple[int, int]:
    return free_port(), free_port()


@pytest.fixture(scope="module")
def provider(ports: tuple[int, int]) -> Iterator[OpenIdProvider]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the OpenID Connect interoperability test needs Node.js 20+ (CI has it)")
    if not (OIDC / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("tests/oidc/node_modules is missing: `make test` installs it (npm ci --prefix tests/oidc)")
    api_port, op_port = ports
    settings = {
        "port": op_port,
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
        "redirectUri": f"http://127.0.0.1:{api_port}/auth/callback",
        "authMethod": "client_secret_post",
        "accounts": ACCOUNTS,
    }
    process = subprocess.Popen(  # noqa: S603 - node and our own script
        [node, str(OIDC / "provider.mjs"), json.dumps(settings)],
        cwd=OIDC,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith("ready "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(READY_SECONDS):
            pytest.fail(f"oidc-provider did not say it was ready within {READY_SECONDS}s:\n{''.join(output)}")
        yield OpenIdProvider(issuer=f"http://127.0.0.1:{op_port}", process=process, output=output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def api(provider: OpenIdProvider, ports: tuple[int, int]) -> Iterator[Stack]:
    """The local run configured for the provider as README "Another provider" shows."""
    discovery = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert discovery["authorization_response_iss_parameter_supported"] is True
    yield from local_run(
        ports[0],
        {
            "AUTH_AUTHORIZE_URL": discovery["authorization_endpoint"],
            "AUTH_TOKEN_URL": discovery["token_endpoint"],
            "AUTH_USERINFO_URL": discovery["userinfo_endpoint"],
            "AUTH_ISSUER": discovery["issuer"],
            "AUTH_CLIENT_ID": CLIENT_ID,
            "AUTH_CLIENT_SECRET": CLIENT_SECRET,
            "AUTH_CLIENT_AUTH_METHOD": "client_secret_post",
            "AUTH_SCOPE": "openid profile phone id_card",
            "AUTH_ATTRIBUTES": "name=name,idNumber=id_number,phone=phone_number,gender=gender,birthDate=birthdate",
            # The legal-person login: the same provider and endpoints, its own scope and attribute map.
            "AUTH_UNIT_SCOPE": "openid profile phone org",
            "AUTH_UNIT_ATTRIBUTES": "unitCreditCode=credit_code,unitName=org_name,operatorName=name,phone=phone_number",
        },
    )


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _sign_in(browser: requests.Session, api: Stack, account: str, **login: str) -> str:
    """From ``/auth/login`` (``as="unit"``: the legal-person login) through the provider's login and
    consent pages; the callback URL the provider sends the browser back to (not yet opened)."""
    params = {"redirect": "/me", **login}
    response = browser.get(f"{api.base_url}/auth/login", params=params, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    authorize = urlsplit(response.headers["Location"])
    assert dict(parse_qsl(authorize.query))["code_challenge_method"] == "S256"
    url = response.headers["Location"]
    for _ in range(12):  # authorize → login page → consent page → back: a handful of hops
        if url.startswith(f"{api.base_url}/auth/callback"):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(response.url, response.headers["Location"])
            continue
        assert response.status_code == 200, response.text
        found = _FORM.search(response.text)
        assert found, f"no form on the provider's page:\n{response.text[:2000]}"
        action, fields = found.groups()
        data = dict(_HIDDEN.findall(fields))  # what the page says it is (prompt=login, prompt=consent)
        if 'name="login"' in fields:
            data.update({"login": account, "password": "any"})
        posted = browser.post(urljoin(response.url, action), data=data, allow_redirects=False, timeout=10)
        assert posted.is_redirect, posted.text
        url = urljoin(posted.url, posted.headers["Location"])
    pytest.fail(f"the provider never sent the browser back to the callback (last: {url})")


def test_a_citizen_logs_in_through_a_certified_provider_with_pkce_and_client_secret_post(api: Stack):
    browser = requests.Session()

    callback = _sign_in(browser, api, "zhang")
    back = browser.get(callback, allow_redirects=False, timeout=10)
    me = browser.get(f"{api.base_url}/me", timeout=10)

    assert dict(parse_qsl(urlsplit(callback).query)).keys() >= {"code", "state", "iss"}
    assert back.status_code == 302, back.text
    assert back.headers["Location"] == "/me"
    assert back.headers["Cache-Control"] == "no-store"
    assert me.status_code == 200, me.text
    assert me.json() == {
        "kind": "PERSON",
        "name": "张晓明",
        "idNumberMasked": ID_NUMBER[:6] + "********" + ID_NUMBER[-4:],
        "gender": "MALE",
        "birthDate": "2003-01-01",
        "phoneMasked": "138****0001",  # the standard phone_number claim, mapped by configuration
        "certificate": None,  # no 就业创业证 issued here yet (issue 25)
    }


def test_a_callback_with_another_issuer_is_refused(api: Stack):
    browser = requests.Session()
    callback = urlsplit(_sign_in(browser, api, "zhang"))
    query = {**dict(parse_qsl(callback.query)), "iss": "http://127.0.0.1:9/another-provider"}

    refused = browser.get(urlunsplit(callback._replace(query=urlencode(query))), allow_redirects=False, timeout=10)

    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "BAD_REQUEST"
    assert "session" not in browser.cookies
    assert browser.get(f"{api.base_url}/me", timeout=10).status_code == 401


def test_an_answer_without_the_id_number_is_a_clear_502_in_chinese(api: Stack):
    browser = requests.Session()

    answer = browser.get(_sign_in(browser, api, "anonymous"), allow_redirects=False, timeout=10)

    assert answer.status_code == 502, answer.text
    assert answer.json()["code"] == "UPSTREAM_UNAVAILABLE"
    assert "公民身份号码" in answer.json()["message"]
    assert "session" not in browser.cookies


def test_a_host_unit_logs_in_through_the_same_provider_its_attributes_mapped_by_configuration(api: Stack):
    browser = requests.Session()

    callback = _sign_in(browser, api, "jinchuang", **{"as": "unit"})
    back = browser.get(callback, allow_redirects=False, timeout=10)
    me = browser.get(f"{api.base_url}/me", timeout=10)

    start = requests.get(f"{api.base_url}/auth/login", params={"as": "unit"}, allow_redirects=False, timeout=10)
    assert dict(parse_qsl(urlsplit(start.headers["Location"]).query))["scope"] == "openid profile phone org"
    assert back.status_code == 302, back.text
    assert me.status_code == 200, me.text
    assert me.json() == {
        "kind": "UNIT",
        "unitName": "山西晋创软件科技有限公司",
        "unitCreditCode": UNIT_CREDIT_CODE,
        "operatorName": "张经理",
        "phoneMasked": "139****1001",  # phone_number, mapped by AUTH_UNIT_ATTRIBUTES
    }
    assert browser.get(f"{api.base_url}/unit/positions", timeout=10).status_code == 200
    assert browser.get(f"{api.base_url}/applications", timeout=10).status_code == 403
