"""A host unit's login (法人登录, ``GET /auth/login?as=unit``) through the same OAuth2 adapter, against the
development IdP's legal-person side: a session of kind UNIT, ``/me`` answering the unit, the authorizer
telling a unit's session from a person's in its one read, the native-app flow, the credit code checked
(GB 32100), and the operator's phone kept masked only and never logged."""

from __future__ import annotations

import json
import logging
import urllib.parse
from typing import Any

import pytest

from internship import aws, errors
from internship.auth import service, sessions
from internship.auth.adapter import Tokens, UnitAttributes
from internship.observability import logger
from internship.settings import get_settings
from localrun import dev_sso
from tests.fake_idp import ORIGIN, FakeIdp
from tests.functional.test_auth_login import (
    HOST,
    Capture,
    Portal,
    body,
    browser_get,
    cookie_of,
    demo,
    header,
    stored_items,
)

pytestmark = pytest.mark.usefixtures("fake_idp")

TAIYUAN_UNIT = dev_sso.demo_units()[0]


@pytest.fixture
def portal(lambda_context: Any) -> Portal:
    return Portal(lambda_context)


def bearer(response: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {body(response)['token']}"}


def test_a_unit_logs_in_with_its_credit_code_and_me_answers_the_unit(portal: Portal):
    unit = TAIYUAN_UNIT

    response = portal.login(unit.credit_code, accept="application/json", as_="unit")
    me = portal.me(bearer(response))

    expected = {
        "kind": "UNIT",
        "unitName": unit.name,
        "unitCreditCode": unit.credit_code,
        "operatorName": unit.operator_name,
        "phoneMasked": unit.mobile[:3] + "****" + unit.mobile[-4:],
    }
    assert response["statusCode"] == 200, response
    assert body(response)["profile"] == expected
    assert (me["statusCode"], body(me)) == (200, expected)
    assert header(me, "Cache-Control") == ["no-store"]
    # The session holds the unit and the operator's phone masked: the whole phone is stored nowhere.
    (stored,) = stored_items("SESSION#")
    assert (stored["kind"]["S"], stored["unitCreditCode"]["S"]) == ("UNIT", unit.credit_code)
    assert unit.mobile not in json.dumps(aws.dynamodb().scan(TableName=get_settings().table_name)["Items"])
    assert not stored_items("PERSON#")  # a unit is no person: no profile, no identity lookup


def test_a_person_login_still_answers_a_person(portal: Portal):
    person = demo("COLLEGE_GRADUATE")

    me = portal.me(bearer(portal.login(person.id_number, accept="application/json")))

    assert (body(me)["kind"], body(me)["name"]) == ("PERSON", person.name)


def test_the_authorizer_tells_a_units_session_from_a_persons_in_its_one_read(portal: Portal):
    unit_session = bearer(portal.login(TAIYUAN_UNIT.credit_code, accept="application/json", as_="unit"))
    person_session = bearer(portal.login(demo("UNEMPLOYED_YOUTH").id_number, accept="application/json"))
    calls: list[str] = []
    aws.dynamodb().meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))

    as_unit = portal.authorize(unit_session, path="/unit/positions")
    as_person = portal.authorize(person_session, path="/applications")

    assert calls == ["UpdateItem", "UpdateItem"]  # one round trip each (SPEC §7)
    assert as_unit["context"] == {
        "kind": "UNIT",
        "unitCreditCode": TAIYUAN_UNIT.credit_code,
        "unitName": TAIYUAN_UNIT.name,
        "operatorName": TAIYUAN_UNIT.operator_name,
        "phoneMasked": TAIYUAN_UNIT.mobile[:3] + "****" + TAIYUAN_UNIT.mobile[-4:],
        "authMethod": "bearer",
    }
    assert as_unit["principalId"] == f"UNIT:{TAIYUAN_UNIT.credit_code}"
    assert as_person["context"]["kind"] == "PERSON"
    assert as_person["context"]["personId"]


def effect(policy: dict[str, Any]) -> str:
    (statement,) = policy["policyDocument"]["Statement"]
    return str(statement["Effect"])


def test_the_authorizer_lets_each_kind_of_session_only_where_it_belongs(portal: Portal):
    unit = bearer(portal.login(TAIYUAN_UNIT.credit_code, accept="application/json", as_="unit"))
    person = bearer(portal.login(demo("UNEMPLOYED_YOUTH").id_number, accept="application/json"))

    for path in ("/applications", "/attachments", "/applications/x/withdraw", "/me/draft", "/unitx"):
        assert effect(portal.authorize(unit, path=path)) == "Deny", path
    for path in ("/unit/positions", "/unit/applications", "/me", "/auth/logout"):
        assert effect(portal.authorize(unit, path=path)) == "Allow", path
    for path in ("/unit/positions", "/unit/positions/x/close", "/unit/applications"):
        assert effect(portal.authorize(person, path=path)) == "Deny", path
    assert effect(portal.authorize(person, path="/applications")) == "Allow"


def test_a_citizens_route_refuses_a_units_session_itself_too(portal: Portal):
    session = bearer(portal.login(TAIYUAN_UNIT.credit_code, accept="application/json", as_="unit"))
    context = portal.authorize(session, path="/applications")["context"]

    for path in ("/applications", "/applications/x"):
        answer = portal.call("GET", path, headers=session, authorizer=context)
        assert answer["statusCode"] == 403, (path, answer)
        assert body(answer)["code"] == "FORBIDDEN"


def test_a_cookie_login_of_a_unit_lands_on_the_saved_page(portal: Portal):
    response = portal.login(TAIYUAN_UNIT.credit_code, redirect="/unit", as_="unit")

    assert response["statusCode"] == 302
    assert header(response, "Location") == ["/unit"]
    me = portal.me({"Cookie": f"session={cookie_of(response, 'session')}"})
    assert body(me)["kind"] == "UNIT"


def test_a_unit_logs_in_as_a_native_app(portal: Portal):
    from internship.auth.oauth2 import code_challenge

    verifier = "u" * 43
    query = {"as": "unit", "redirect": "internship-app://auth/callback", "code_challenge": code_challenge(verifier)}
    started = portal.call(
        "GET", "/auth/login", query={**query, "code_challenge_method": "S256"}, headers={"Host": HOST}
    )
    portal.login_state = cookie_of(started, "login_state")
    handed_over = portal.callback(portal.provider_redirect(header(started, "Location")[0], TAIYUAN_UNIT.credit_code))
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(header(handed_over, "Location")[0]).query))["code"]

    token = portal.call(
        "POST",
        "/auth/token",
        body={"code": code, "codeVerifier": verifier},
        headers={"Host": HOST, "Content-Type": "application/json"},
    )

    assert token["statusCode"] == 200, token
    assert body(token)["profile"]["kind"] == "UNIT"
    assert body(portal.me(bearer(token)))["unitCreditCode"] == TAIYUAN_UNIT.credit_code


def test_any_valid_credit_code_logs_in_as_a_generated_unit_and_an_invalid_one_is_refused(portal: Portal):
    _, authorize_url = portal.start("/", "unit")
    other = dev_sso.generated_unit("91140105MA0L5B3J6B")  # a valid code that no demo unit has
    assert dev_sso.generated_unit(other.credit_code).name == other.name

    response = portal.callback(portal.provider_redirect(authorize_url, other.credit_code), "application/json")

    assert body(response)["profile"]["unitName"] == other.name
    status, _, text = browser_get(f"{authorize_url}&login_hint=91140105MA0L5B3J6C&login_type=unit")
    assert status == 400
    assert "校验位" in text


def test_a_provider_answer_without_the_credit_code_is_a_clear_502(portal: Portal, fake_idp: FakeIdp):
    fake_idp.faults.userinfo = "bad-id"  # answers a person's attributes to the legal-person login
    _, authorize_url = portal.start("/", "unit")

    response = portal.callback(portal.provider_redirect(authorize_url, TAIYUAN_UNIT.credit_code), "application/json")

    assert response["statusCode"] == 502
    assert "统一社会信用代码" in body(response)["message"]
    assert not stored_items("SESSION#")


class AssertsABadCode:
    """A legal-person login answering a credit code that fails GB 32100's check character."""

    def authorization_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        return "https://sso.example/authorize"

    def exchange(self, code: str, code_verifier: str, redirect_uri: str) -> Tokens:
        return Tokens("at")

    def userinfo(self, tokens: Tokens) -> UnitAttributes:
        return UnitAttributes(credit_code="91140105MA0L5B3J6C", unit_name="某单位", operator_name="某人")


def test_a_credit_code_failing_its_check_character_opens_no_session(portal: Portal):
    _, authorize_url = portal.start("/", "unit")
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))["state"]

    with pytest.raises(errors.UpstreamUnavailable):
        service.finish_login("code", state, portal.login_state, provider=AssertsABadCode())
    assert not stored_items("SESSION#")


def test_the_operators_phone_and_name_never_reach_a_log_line(portal: Portal, capsys: pytest.CaptureFixture[str]):
    capture = Capture()
    functions_logger = logging.getLogger(logger.name)
    functions_logger.addHandler(capture)
    try:
        response = portal.login(TAIYUAN_UNIT.credit_code, accept="application/json", as_="unit")
        portal.me(bearer(response))
        portal.logout({**bearer(response), "Origin": ORIGIN})
    finally:
        functions_logger.removeHandler(capture)
    printed = capsys.readouterr()
    text = "\n".join([*capture.lines, printed.out, printed.err])

    assert "login succeeded" in text
    for secret in (TAIYUAN_UNIT.mobile, TAIYUAN_UNIT.operator_name, body(response)["token"]):
        assert secret not in text
    assert sessions.token_hash(body(response)["token"]) not in text
