"""Host units over the local run (SPEC §3 journey 8): a unit logs in with 法人登录 (the development IdP's
legal-person side, ``login_hint=<credit code>``), enters a position, the Taiyuan bureau approves it over
SigV4, it appears in the public catalogue, a citizen applies, and the unit sees the applicant masked (the
phone once approved). Around it, the authorization matrix over real HTTP and two edits racing on one
version."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from internship import checks, clock
from localrun.sigv4 import RequestsSigV4
from tests.integration.conftest import Login, _with_login_hint
from tests.integration.test_applications_races import CSRF, application_form, fresh_id_number, upload_confirmed

pytestmark = pytest.mark.integration

TAIYUAN, DATONG = RequestsSigV4("taiyuan"), RequestsSigV4("datong")


def people(stack: Any) -> list[dict[str, str]]:
    listed: list[dict[str, str]] = requests.get(f"{stack.base_url}/dev/sso/people", timeout=10).json()
    return listed


def demo_unit(stack: Any, region: str) -> dict[str, str]:
    """A demo host unit of the dev IdP's 法人登录 (persona UNIT), the unit of demo positions in ``region``."""
    return next(p for p in people(stack) if p["persona"] == "UNIT" and p["regionCode"].startswith(region))


def unit_login(stack: Any, credit_code: str) -> requests.Session:
    """``GET /auth/login?as=unit`` → the dev IdP's 法人登录 with ``login_hint`` → the callback: a cookie session."""
    session = requests.Session()
    start = session.get(f"{stack.base_url}/auth/login", params={"as": "unit", "redirect": "/"}, allow_redirects=False)
    assert start.status_code == 302, start.text
    assert "login_type=unit" in start.headers["Location"]
    signed_in = session.get(_with_login_hint(urljoin(start.url, start.headers["Location"]), credit_code),
                            allow_redirects=False)  # fmt: skip
    assert signed_in.status_code == 302, signed_in.text
    back = session.get(urljoin(signed_in.url, signed_in.headers["Location"]), allow_redirects=False)
    assert back.status_code == 302, back.text
    assert session.cookies.get("session")
    session.headers.update(CSRF)
    return session


def position_body(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "集成测试见习岗",
        "regionCode": "140105",
        "address": "太原市小店区长治路227号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "计算机类",
        "headcount": 2,
        "monthlyAllowance": 2200,
        "periodMonths": 6,
        "contactName": "张经理",
        "contactPhone": "0351-7021688",
        "description": "单位经法人登录录入的岗位。",
        "deadline": (clock.today() + timedelta(days=20)).isoformat(),
        **overrides,
    }


def catalogue_ids(stack: Any) -> set[str]:
    page = requests.get(f"{stack.base_url}/positions", params={"limit": 50}, timeout=10).json()
    return {p["positionId"] for p in page["items"]}


def test_the_dev_idp_lists_host_units_of_taiyuan_and_datong_with_valid_credit_codes(stack: Any):
    units = [p for p in people(stack) if p["persona"] == "UNIT"]

    assert {u["regionCode"][:4] for u in units} >= {"1401", "1402"}
    for unit in units:
        assert checks.normalize_credit_code(unit["unitCreditCode"]) == unit["unitCreditCode"]
    page = requests.get(f"{stack.base_url}/auth/login", params={"as": "unit"}, timeout=10)  # follows to the page
    assert "法人登录" in page.text
    assert all(unit["name"] in page.text for unit in units)


def test_a_unit_publishes_through_review_and_sees_who_applied(stack: Any, login: Login, iam_auth: RequestsSigV4):
    taiyuan_unit = demo_unit(stack, "1401")
    unit = unit_login(stack, taiyuan_unit["unitCreditCode"])
    me = unit.get(f"{stack.base_url}/me", timeout=10).json()
    assert (me["kind"], me["unitCreditCode"], me["unitName"]) == ("UNIT", taiyuan_unit["unitCreditCode"],
                                                                   taiyuan_unit["name"])  # fmt: skip
    assert me["phoneMasked"].count("*") == 4

    created = unit.post(f"{stack.base_url}/unit/positions", json=position_body(), timeout=10)
    assert created.status_code == 201, created.text
    position_id = created.json()["positionId"]
    assert created.json()["status"] == "PENDING_REVIEW"
    assert position_id not in catalogue_ids(stack)

    queue = requests.get(f"{stack.base_url}/review/positions", auth=TAIYUAN, timeout=10).json()["items"]
    assert position_id in [line["positionId"] for line in queue]
    decided = requests.post(f"{stack.base_url}/review/positions/{position_id}/decision", json={"decision": "APPROVED"},
                            auth=TAIYUAN, timeout=10)  # fmt: skip
    assert (decided.status_code, decided.json()["status"]) == (200, "OPEN"), decided.text
    assert position_id in catalogue_ids(stack)

    citizen = login(fresh_id_number())
    ids = [upload_confirmed(stack, citizen, kind) for kind in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")]
    form = application_form(position_id, ids)
    submitted = citizen.post(f"{stack.base_url}/applications", json=form, headers=CSRF, timeout=10)
    assert submitted.status_code == 201, submitted.text

    applicants = unit.get(f"{stack.base_url}/unit/applications", params={"positionId": position_id}, timeout=10)
    assert applicants.status_code == 200, applicants.text
    assert applicants.headers["Cache-Control"] == "no-store"
    (line,) = applicants.json()["items"]
    assert (line["status"], line["phone"], line["school"]) == ("PENDING", "138****5678", "太原理工大学")
    assert line["idNumberMasked"].count("*") == 8

    application_id = submitted.json()["applicationId"]
    approved = requests.post(f"{stack.base_url}/review/applications/{application_id}/decision",
                             json={"decision": "APPROVED"}, auth=iam_auth, timeout=10)  # fmt: skip
    assert approved.status_code == 200, approved.text
    (line,) = unit.get(f"{stack.base_url}/unit/applications", params={"positionId": position_id}, timeout=10).json()[
        "items"
    ]
    assert (line["status"], line["phone"]) == ("APPROVED", "13812345678")


def test_the_authorization_matrix(stack: Any, login: Login):
    unit_a = unit_login(stack, demo_unit(stack, "140105")["unitCreditCode"])
    unit_b = unit_login(stack, demo_unit(stack, "140106")["unitCreditCode"])
    citizen = login(fresh_id_number())
    theirs = unit_b.post(f"{stack.base_url}/unit/positions", json=position_body(regionCode="140106"), timeout=10)
    assert theirs.status_code == 201, theirs.text
    position_id = theirs.json()["positionId"]
    base = stack.base_url

    answers = {
        "unit A reads unit B's position": unit_a.get(f"{base}/unit/positions/{position_id}", timeout=10),
        "unit A edits it": unit_a.put(f"{base}/unit/positions/{position_id}", json={**theirs.json()}, timeout=10),
        "unit A closes it": unit_a.post(f"{base}/unit/positions/{position_id}/close", timeout=10),
        "unit A lists its applicants": unit_a.get(
            f"{base}/unit/applications", params={"positionId": position_id}, timeout=10
        ),
        "a unit on my cases": unit_a.get(f"{base}/applications", timeout=10),
        "a unit uploads": unit_a.post(f"{base}/attachments", json={"kind": "ID_CARD"}, timeout=10),
        "a citizen on units' positions": citizen.get(f"{base}/unit/positions", timeout=10),
        "a citizen creates one": citizen.post(f"{base}/unit/positions", json=position_body(), headers=CSRF, timeout=10),
        "a Datong reviewer decides a Taiyuan unit's position": requests.post(
            f"{base}/review/positions/{position_id}/decision", json={"decision": "APPROVED"}, auth=DATONG, timeout=10
        ),
        "nobody logged in": requests.get(f"{base}/unit/positions", timeout=10),
        "nobody logged in, applicants": requests.get(f"{base}/unit/applications", timeout=10),
    }
    expected = {
        "unit A reads unit B's position": 404,
        "unit A edits it": 404,
        "unit A closes it": 404,
        "unit A lists its applicants": 404,
        "a unit on my cases": 403,
        "a unit uploads": 403,
        "a citizen on units' positions": 403,
        "a citizen creates one": 403,
        "a Datong reviewer decides a Taiyuan unit's position": 404,
        "nobody logged in": 401,
        "nobody logged in, applicants": 401,
    }

    assert {name: answer.status_code for name, answer in answers.items()} == expected
    for answer in answers.values():
        assert answer.json()["message"]  # the contract's error shape, a Chinese message
    assert unit_b.get(f"{base}/unit/positions/{position_id}", timeout=10).json()["status"] == "PENDING_REVIEW"


def test_two_edits_racing_on_one_version_make_one(stack: Any):
    credit_code = demo_unit(stack, "1402")["unitCreditCode"]
    unit = unit_login(stack, credit_code)
    created = unit.post(f"{stack.base_url}/unit/positions", json=position_body(regionCode="140202"), timeout=10).json()
    decided = requests.post(f"{stack.base_url}/review/positions/{created['positionId']}/decision",
                            json={"decision": "APPROVED"}, auth=DATONG, timeout=10)  # fmt: skip
    assert decided.status_code == 200, decided.text
    current = unit.get(f"{stack.base_url}/unit/positions/{created['positionId']}", timeout=10).json()
    editors = [unit_login(stack, credit_code) for _ in range(2)]  # two operators of the unit at once
    barrier = Barrier(2)

    def edit(index: int) -> int:
        barrier.wait()
        sent = {**current, "headcount": 3 + index}
        return editors[index].put(f"{stack.base_url}/unit/positions/{current['positionId']}", json=sent,
                                  timeout=30).status_code  # fmt: skip

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(edit, range(2)))

    assert statuses == [200, 409]
    public = requests.get(f"{stack.base_url}/positions/{current['positionId']}", timeout=10).json()
    assert public["headcount"] == current["headcount"]  # the change waits for review: not in the catalogue
