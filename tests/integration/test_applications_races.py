"""Applications over the local run: the manual's journey, and races settled by DynamoDB.

login → upload and confirm (the green bar) → submit (申报成功) → 未审核 in my cases by status and
month → withdraw (撤回) → re-apply pre-filled from the detail with ``copyFrom``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier
from typing import Any

import pytest
import requests

from internship import checks, clock
from localrun.sigv4 import RequestsSigV4
from tests.attachment_files import pdf, png

pytestmark = pytest.mark.integration

CSRF = {"X-Requested-With": "XMLHttpRequest"}
Login = Callable[..., requests.Session]


def fresh_id_number(age: int = 22) -> str:
    """A valid ID number nobody used yet (the dev IdP makes a generated person of it)."""
    birth = clock.add_months(clock.today(), -12 * age) - timedelta(days=random.randint(1, 300))
    first17 = f"140105{birth:%Y%m%d}{random.randint(0, 999):03d}"
    return first17 + checks.id_check_char(first17)


def create_position(stack: Any, iam_auth: RequestsSigV4) -> str:
    first17 = "91140105MA0K9Y7Q3"
    body = {
        "title": "申报流程测试岗位",
        "unitName": "太原申报测试科技有限公司",
        "unitCreditCode": first17 + checks.credit_check_char(first17),
        "regionCode": "140105",
        "address": "太原市小店区学府街100号",
        "educationRequirement": "大专及以上",
        "majorRequirement": "不限",
        "headcount": 3,
        "monthlyAllowance": 2000,
        "periodMonths": 6,
        "contactName": "王老师",
        "contactPhone": "0351-7000000",
        "description": "用于申报流程集成测试。",
        "deadline": (clock.today() + timedelta(days=14)).isoformat(),
    }
    answer = requests.post(f"{stack.base_url}/manage/positions", json=body, auth=iam_auth, timeout=60)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["positionId"])


def upload_confirmed(stack: Any, session: requests.Session, kind: str) -> str:
    """Declare, upload to the presigned POST (as a browser form does), confirm: the green bar."""
    data, file_name, content_type = (png(), "身份证.png", "image/png") if kind == "ID_CARD" else (
        pdf(kind), f"{kind.lower()}.pdf", "application/pdf")  # fmt: skip
    declared = session.post(
        f"{stack.base_url}/attachments",
        json={"kind": kind, "fileName": file_name, "contentType": content_type, "size": len(data)},
        headers=CSRF,
        timeout=60,
    )
    assert declared.status_code == 201, declared.text
    created = declared.json()
    posted = requests.post(
        created["upload"]["url"],
        data=created["upload"]["fields"],
        files={"file": (file_name, data, content_type)},
        timeout=60,
    )
    assert posted.status_code in {200, 201, 204}, posted.text
    confirmed = session.post(
        f"{stack.base_url}/attachments/{created['attachmentId']}/confirm", headers=CSRF, timeout=60
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "UPLOADED"
    return str(created["attachmentId"])


def application_form(position_id: str, attachment_ids: list[str]) -> dict[str, Any]:
    start = clock.today() + timedelta(days=7)
    return {
        "positionId": position_id,
        "personCategory": "COLLEGE_GRADUATE",
        "phone": "13812345678",
        "educationLevel": "本科",
        "school": "太原理工大学",
        "major": "软件工程",
        "graduationDate": clock.add_months(clock.today(), -3).strftime("%Y-%m"),
        "householdRegionCode": "140105",
        "address": "太原市小店区坞城路92号",
        "employmentCertificateNo": "1401050099887",
        "startDate": start.isoformat(),
        "endDate": clock.add_months(start, 6).isoformat(),
        "attachmentIds": attachment_ids,
    }


def ready_applicant(stack: Any, login: Login, iam_auth: RequestsSigV4) -> tuple[requests.Session, dict[str, Any]]:
    session = login(fresh_id_number())
    ids = [upload_confirmed(stack, session, kind) for kind in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")]
    return session, application_form(create_position(stack, iam_auth), ids)


def submitted_application(stack: Any, login: Login, iam_auth: RequestsSigV4) -> tuple[requests.Session, str]:
    """A citizen's session and the id of the application they have just submitted."""
    session, body = ready_applicant(stack, login, iam_auth)
    submitted = session.post(f"{stack.base_url}/applications", json=body, headers=CSRF, timeout=10)
    assert submitted.status_code == 201, submitted.text
    return session, str(submitted.json()["applicationId"])


def decide(stack: Any, application_id: str, decision: dict[str, Any], iam_auth: RequestsSigV4) -> requests.Response:
    """A reviewer's signed decision on the application."""
    url = f"{stack.base_url}/review/applications/{application_id}/decision"
    return requests.post(url, json=decision, auth=iam_auth, timeout=10)


def test_the_applicants_journey_from_login_to_reapplication(stack: Any, login: Login, iam_auth: RequestsSigV4):
    base = stack.base_url
    # Given a logged-in citizen who uploaded and confirmed the required documents
    session, body = ready_applicant(stack, login, iam_auth)
    assert session.get(f"{base}/me", timeout=10).status_code == 200

    # When they submit (申报)
    submitted = session.post(f"{base}/applications", json=body, headers=CSRF, timeout=10)
    assert submitted.status_code == 201, submitted.text
    created = submitted.json()
    assert created["message"] == "申报成功"
    assert created["statusLabel"] == "未审核"

    # Then my cases shows it as 未审核 by status and by month
    month = clock.today().strftime("%Y-%m")
    for query in ({"status": "PENDING"}, {"month": month}, {"status": "PENDING", "month": month}):
        listed = session.get(f"{base}/applications", params=query, timeout=10)
        assert listed.status_code == 200, listed.text
        assert [(i["applicationId"], i["statusLabel"]) for i in listed.json()["items"]] == [
            (created["applicationId"], "未审核")
        ]

    # and the detail has the form, downloadable attachments and the history
    shown = session.get(f"{base}/applications/{created['applicationId']}", timeout=10)
    assert shown.status_code == 200, shown.text
    record = shown.json()
    assert record["form"]["school"] == "太原理工大学"
    assert "*" in record["applicant"]["idNumberMasked"]
    download = requests.get(record["attachments"][0]["downloadUrl"], timeout=10)
    assert download.status_code == 200
    assert download.content == png()

    # When they withdraw it (撤回)
    withdrawn = session.post(f"{base}/applications/{created['applicationId']}/withdraw", headers=CSRF, timeout=10)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["statusLabel"] == "已撤回"
    assert session.get(f"{base}/applications", params={"status": "PENDING"}, timeout=10).json()["items"] == []

    # Then they re-apply with the form pre-filled from the withdrawn application
    prefill = session.get(f"{base}/applications/{created['applicationId']}", timeout=10).json()["form"]
    again = session.post(
        f"{base}/applications", json={**prefill, "copyFrom": created["applicationId"]}, headers=CSRF, timeout=10
    )
    assert again.status_code == 201, again.text
    statuses = [i["status"] for i in session.get(f"{base}/applications", timeout=10).json()["items"]]
    assert statuses == ["PENDING", "WITHDRAWN"]


def _bearer(session: requests.Session) -> dict[str, str]:
    return {"Authorization": f"Bearer {session.token}"}  # type: ignore[attr-defined]


def test_eight_racing_submissions_for_one_person_make_one_application(stack: Any, login: Login, iam_auth):
    session, body = ready_applicant(stack, login, iam_auth)
    headers = _bearer(session)
    start = Barrier(8)

    def submit(_: int) -> requests.Response:
        start.wait()
        return requests.post(f"{stack.base_url}/applications", json=body, headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(submit, range(8)))

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 7, [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"ACTIVE_APPLICATION_EXISTS"}
    listed = requests.get(f"{stack.base_url}/applications", headers=headers, timeout=10).json()["items"]
    assert len(listed) == 1


def test_withdrawing_twice_at_once_succeeds_once(stack: Any, login: Login, iam_auth):
    session, body = ready_applicant(stack, login, iam_auth)
    headers = _bearer(session)
    created = requests.post(f"{stack.base_url}/applications", json=body, headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    url = f"{stack.base_url}/applications/{created.json()['applicationId']}/withdraw"
    start = Barrier(2)

    def withdraw(_: int) -> requests.Response:
        start.wait()
        return requests.post(url, headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(withdraw, range(2)))

    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert next(a for a in answers if a.status_code == 409).json()["code"] == "NOT_WITHDRAWABLE"


def test_a_rejected_case_is_reapplied_from_once_even_by_racing_clients(stack: Any, login: Login, iam_auth):
    base = stack.base_url
    # Given a citizen whose application the reviewer rejected over SigV4 (审核不通过)
    id_number = fresh_id_number()
    phone, computer = login(id_number), login(id_number, bearer=True)
    ids = [upload_confirmed(stack, phone, kind) for kind in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")]
    body = application_form(create_position(stack, iam_auth), ids)
    first = phone.post(f"{base}/applications", json=body, headers=CSRF, timeout=10).json()["applicationId"]
    reason = {"decision": "REJECTED", "reason": "毕业证书扫描件不清晰"}
    assert decide(stack, first, reason, iam_auth).status_code == 200
    before = phone.get(f"{base}/applications/{first}", timeout=10).json()

    # and the re-application typed on the phone as a draft (a cookie session: CSRF applies), found on the computer
    prefill = {**before["form"], "copyFrom": first}
    assert phone.put(f"{base}/me/draft", json=prefill, timeout=10).status_code == 403  # no Origin, no header
    saved = phone.put(f"{base}/me/draft", json=prefill, headers=CSRF, timeout=10)
    assert saved.status_code == 200, saved.text
    assert saved.headers["Cache-Control"] == "no-store"
    draft = computer.get(f"{base}/me/draft", timeout=10).json()["form"]
    assert (draft["copyFrom"], draft["householdRegionCode"]) == (first, "140105")

    # When four clients submit it at the same moment (重新申报)
    start = Barrier(4)

    def reapply(_: int) -> requests.Response:
        start.wait()
        return requests.post(f"{base}/applications", json=prefill, headers=_bearer(computer), timeout=30)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(reapply, range(4)))

    # Then exactly one application is made, with the rejected case's attachments, and the draft is gone
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    (created,) = [a.json()["applicationId"] for a in answers if a.status_code == 201]
    again = phone.get(f"{base}/applications/{created}", timeout=10).json()
    assert (again["copyFrom"], sorted(again["form"]["attachmentIds"])) == (first, sorted(ids))
    assert phone.get(f"{base}/me/draft", timeout=10).status_code == 404
    # and the rejected case is as it was
    after = phone.get(f"{base}/applications/{first}", timeout=10).json()
    assert (after["status"], after["form"], after["history"]) == ("REJECTED", before["form"], before["history"])
    listed = [(i["status"], i["regionName"]) for i in phone.get(f"{base}/applications", timeout=10).json()["items"]]
    assert listed == [("PENDING", "太原市小店区"), ("REJECTED", "太原市小店区")]


def test_regions_are_public_and_cacheable_over_http(stack: Any):
    answer = requests.get(f"{stack.base_url}/regions", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=86400"
    taiyuan = [r["code"] for r in answer.json() if r["name"] == "太原市"]
    assert taiyuan == ["1401"]
    page = requests.get(f"{stack.base_url}/positions", params={"regionCode": "太原"}, timeout=10)
    assert page.status_code == 422
    assert page.json()["errors"] == [{"field": "regionCode", "message": "请填写行政区划代码而非名称：太原市为1401"}]
