"""就业创业证 online through the handlers, against moto: 求职登记 and 失业登记 (one 422, guards,
idempotency), my registrations, withdraw, the household register's review whose approval issues the
certificate, 资格自查, and the application that uses the certificate (filled in, no scan asked)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from internship import clock, keys
from tests.functional import review_fixtures as fx
from tests.functional.conftest import invoke_api
from tests.functional.test_applications_api import (  # noqa: F401 - the calls fixture
    TODAY,
    Calls,
    calls,
    field_messages,
    form,
    get,
    seed_attachment,
    seed_person,
    seed_position,
    submit,
    years_ago,
)

pytestmark = pytest.mark.usefixtures("aws_backend", "reviewers")
JSON = {"content-type": "application/json"}
YEAR = f"{TODAY:%Y}"


@pytest.fixture
def reviewers() -> None:
    fx.jurisdictions()  # the province (14), 太原 (1401) and 大同 (1402)


def job_seeking(attachment_ids: list[str], **changes: Any) -> dict[str, Any]:
    body = {
        "kind": "JOB_SEEKING",
        "phone": "13912345678",
        "educationLevel": "本科",
        "school": "山西大学",
        "major": "计算机科学与技术",
        "graduationDate": clock.add_months(TODAY, -6).strftime("%Y-%m"),
        "householdRegionCode": "140105",
        "address": "太原市小店区坞城路92号",
        "attachmentIds": attachment_ids,
        **changes,
    }
    return {k: v for k, v in body.items() if v is not None}


def graduate_files(person: str) -> list[str]:
    return [seed_attachment(person, "ID_CARD"), seed_attachment(person, "DIPLOMA")]


def register(person: str, body: dict[str, Any], context: Any, key: str | None = None) -> tuple[int, Any]:
    headers = JSON | ({"Idempotency-Key": key} if key else {})
    return invoke_api("POST", "/registrations", context, person=person, headers=headers, body=body)


def review(context: Any, method: str, path: str, principal: str = fx.TAIYUAN, **kwargs: Any) -> tuple[int, Any]:
    return invoke_api(method, path, context, principal=principal, headers=JSON, **kwargs)


def approve(context: Any, registration_id: str, principal: str = fx.TAIYUAN) -> tuple[int, Any]:
    path = f"/review/registrations/{registration_id}/decision"
    return review(context, "POST", path, principal, body={"decision": "APPROVED"})


def holder(context: Any) -> tuple[str, str]:
    """A graduate whose 求职登记 太原 approved: the person and their certificate number."""
    person = seed_person()
    status, answer = register(person, job_seeking(graduate_files(person)), context)
    assert status == 201, answer
    status, decided = approve(context, answer["registrationId"])
    assert status == 200, decided
    return person, decided["certificateNo"]


# --- 申报 ----------------------------------------------------------------------------------------


def test_a_graduate_registers_in_one_read_and_one_write(calls: Calls, lambda_context):  # noqa: F811
    # Given a graduate of six months ago with a confirmed ID card and diploma
    person = seed_person()
    files = graduate_files(person)
    calls.reset()

    # When they send their 求职登记
    status, answer = register(person, job_seeking(files), lambda_context)

    # Then it is PENDING (未审核) with a DJ reference number, in one BatchGetItem and one transaction
    assert status == 201, answer
    assert (answer["status"], answer["statusLabel"], answer["message"]) == ("PENDING", "未审核", "申报成功")
    assert answer["referenceNo"].startswith(f"DJ{TODAY:%Y%m%d}")
    assert calls.operations == ["BatchGetItem", "TransactWriteItems"]
    # and the person's one registration in progress is guarded, the files bound to it
    guard = get(keys.registration_guard(person))
    assert guard is not None
    assert (guard["registrationId"], guard["kind"], guard["status"]) == (
        answer["registrationId"],
        "JOB_SEEKING",
        "PENDING",
    )
    assert all((get(keys.attachment(a)) or {}).get("applicationId") == answer["registrationId"] for a in files)


def test_every_failing_field_of_a_registration_is_in_one_422(lambda_context):
    # Given a 30-year-old with no confirmed files
    person = seed_person(birth=years_ago(30))
    body = {
        "kind": "UNEMPLOYMENT",
        "phone": "1234",
        "educationLevel": "高中",
        "householdRegionCode": "140105",
        "address": "太原市小店区",
        "unemployedSince": (TODAY + timedelta(days=1)).isoformat(),
        "attachmentIds": [],
    }

    # When they send a 失业登记 wrong in four ways
    status, answer = register(person, body, lambda_context)

    # Then one 422 names each: the phone's format, the age, the date, the missing ID card
    assert status == 422
    assert {e["field"] for e in answer["errors"]} == {"phone", "kind", "unemployedSince", "attachmentIds"}
    assert field_messages(answer, "kind") == ["已满25周岁，不符合失业登记的条件（16-24周岁）"]
    assert field_messages(answer, "attachmentIds") == ["请上传身份证"]


def test_a_job_seeking_registration_needs_a_recent_graduation_and_a_diploma(lambda_context):
    person = seed_person()
    late = clock.add_months(TODAY, -25).strftime("%Y-%m")

    status, answer = register(
        person, job_seeking([seed_attachment(person, "ID_CARD")], graduationDate=late), lambda_context
    )

    assert status == 422
    assert field_messages(answer, "graduationDate") == ["离校已超过2年，不符合该人员类别的申请条件"]
    assert field_messages(answer, "attachmentIds") == ["请上传毕业证书"]


def test_one_registration_in_progress_and_none_for_a_holder(lambda_context):
    # Given a person whose registration is PENDING
    person = seed_person()
    first, _ = register(person, job_seeking(graduate_files(person)), lambda_context)
    assert first == 201

    # Then a second one is 409 ACTIVE_REGISTRATION_EXISTS
    status, answer = register(person, job_seeking(graduate_files(person)), lambda_context)
    assert (status, answer["code"]) == (409, "ACTIVE_REGISTRATION_EXISTS")

    # and a holder of a certificate issued here is 409 CERTIFICATE_EXISTS
    certified, _ = holder(lambda_context)
    status, answer = register(certified, job_seeking(graduate_files(certified)), lambda_context)
    assert (status, answer["code"]) == (409, "CERTIFICATE_EXISTS")


def test_repeating_a_registration_with_its_idempotency_key_creates_nothing_new(lambda_context):
    person = seed_person()
    body = job_seeking(graduate_files(person))

    first = register(person, body, lambda_context, key="reg-1")
    again = register(person, body, lambda_context, key="reg-1")

    assert first[0] == again[0] == 201
    assert again[1]["registrationId"] == first[1]["registrationId"]
    _, mine = invoke_api("GET", "/registrations", lambda_context, person=person)
    assert [r["registrationId"] for r in mine["items"]] == [first[1]["registrationId"]]


# --- mine, detail, withdraw -----------------------------------------------------------------------


def test_my_registrations_detail_and_withdrawal(lambda_context):
    # Given a pending registration
    person = seed_person()
    _, created = register(person, job_seeking(graduate_files(person)), lambda_context)
    registration_id = created["registrationId"]

    # Then it is listed (by status and month too) and its detail shows the form, files and history
    status, mine = invoke_api("GET", "/registrations", lambda_context, person=person,
                              query={"status": "PENDING", "month": f"{TODAY:%Y-%m}"})  # fmt: skip
    assert status == 200
    assert [(r["registrationId"], r["kindLabel"], r["householdRegionName"]) for r in mine["items"]] == [
        (registration_id, "求职登记", "太原市小店区")
    ]
    status, shown = invoke_api("GET", f"/registrations/{registration_id}", lambda_context, person=person)
    assert status == 200
    assert shown["form"]["school"] == "山西大学"
    assert shown["applicant"]["idNumberMasked"].count("*") == 8
    assert [a["kind"] for a in shown["attachments"]] == ["ID_CARD", "DIPLOMA"]
    assert [(h["action"], h["actor"]) for h in shown["history"]] == [("SUBMITTED", "APPLICANT")]
    # and nobody else sees it
    assert invoke_api("GET", f"/registrations/{registration_id}", lambda_context, person=seed_person())[0] == 404

    # When they withdraw it
    status, withdrawn = invoke_api("POST", f"/registrations/{registration_id}/withdraw", lambda_context, person=person)

    # Then it is WITHDRAWN, not withdrawable again, and they may register anew
    assert (status, withdrawn["status"], withdrawn["statusLabel"]) == (200, "WITHDRAWN", "已撤回")
    status, again = invoke_api("POST", f"/registrations/{registration_id}/withdraw", lambda_context, person=person)
    assert (status, again["code"]) == (409, "NOT_WITHDRAWABLE")
    assert register(person, job_seeking(graduate_files(person)), lambda_context)[0] == 201


# --- the household register's review ---------------------------------------------------------------


def test_the_household_registers_bureau_reviews_audits_and_approval_issues_the_certificate(lambda_context):
    # Given a registration whose household register is in 太原市小店区
    person = seed_person()
    _, created = register(person, job_seeking(graduate_files(person)), lambda_context)
    registration_id = created["registrationId"]

    # Then 太原's queue lists it, 大同's does not, and 大同 cannot read or decide it
    status, queue = review(lambda_context, "GET", "/review/registrations")
    assert status == 200
    assert registration_id in [r["registrationId"] for r in queue["items"]]
    _, datong = review(lambda_context, "GET", "/review/registrations", fx.DATONG)
    assert registration_id not in [r["registrationId"] for r in datong["items"]]
    assert review(lambda_context, "GET", f"/review/registrations/{registration_id}", fx.DATONG)[0] == 404
    assert approve(lambda_context, registration_id, fx.DATONG)[0] == 404

    # When 太原 reads it (unmasked) and approves it
    status, shown = review(lambda_context, "GET", f"/review/registrations/{registration_id}")
    assert status == 200
    assert "*" not in shown["applicant"]["idNumber"]
    status, decided = approve(lambda_context, registration_id)

    # Then the certificate is issued: 18 digits, the household county, this year, the first number
    assert status == 200, decided
    assert decided["certificateNo"] == f"140105{YEAR}00000001"
    assert get(keys.registration_guard(person)) is None  # the certificate guards from now on
    # and the citizen sees it on the registration, on GET /me and on 资格自查
    _, detail = invoke_api("GET", f"/registrations/{registration_id}", lambda_context, person=person)
    assert (detail["status"], detail["certificate"]["certificateNo"]) == ("APPROVED", decided["certificateNo"])
    assert [(h["action"], h["actor"]) for h in detail["history"]][-1] == ("APPROVED", "REVIEWER")
    _, me = invoke_api("GET", "/me", lambda_context, person=person)
    assert me["certificate"] == {**detail["certificate"], "kindLabel": "求职登记"}
    # and both the read and the decision are in the audit trail of the registration
    _, trail = review(lambda_context, "GET", "/review/audit", query={"registrationId": registration_id})
    assert [(r["action"], r["registrationId"]) for r in trail["items"]] == [
        ("READ_REGISTRATION", registration_id),
        ("DECIDE_REGISTRATION", registration_id),
    ]
    # and a second approval issues nothing
    status, again = approve(lambda_context, registration_id)
    assert (status, again["code"]) == (409, "NOT_PENDING")


def test_the_next_approval_in_the_county_takes_the_next_number_and_a_rejection_none(lambda_context):
    holder(lambda_context)  # the first certificate of the county
    rejected = seed_person()
    _, created = register(rejected, job_seeking(graduate_files(rejected)), lambda_context)
    path = f"/review/registrations/{created['registrationId']}/decision"

    assert review(lambda_context, "POST", path, body={"decision": "REJECTED"})[1]["errors"][0]["field"] == "reason"
    status, decided = review(lambda_context, "POST", path, body={"decision": "REJECTED", "reason": "毕业证书不清晰"})
    assert (status, decided["certificateNo"]) == (200, None)
    _, second = holder(lambda_context)

    assert second == f"140105{YEAR}00000002"


# --- 资格自查 ------------------------------------------------------------------------------------


def test_eligibility_in_one_read_says_the_paths_and_what_the_person_holds(calls: Calls, lambda_context):  # noqa: F811
    # Given a 22-year-old with nothing yet
    person = seed_person(birth=years_ago(22))
    calls.reset()

    # When they check 资格自查 without and with a graduation month
    status, unknown = invoke_api("GET", "/me/eligibility", lambda_context, person=person)
    graduated = clock.add_months(TODAY, -3).strftime("%Y-%m")
    _, known = invoke_api("GET", "/me/eligibility", lambda_context, person=person, query={"graduationDate": graduated})

    # Then each is one BatchGetItem, the graduate paths wait for the month and then open
    assert status == 200
    assert calls.operations == ["BatchGetItem", "BatchGetItem"]
    assert (unknown["age"], unknown["certificate"], unknown["registration"], unknown["activeApplication"]) == (
        22, None, None, None,
    )  # fmt: skip
    by_category = {p["personCategory"]: p for p in unknown["paths"]}
    assert by_category["COLLEGE_GRADUATE"]["eligible"] is None
    assert (by_category["UNEMPLOYED_YOUTH"]["registration"], by_category["UNEMPLOYED_YOUTH"]["eligible"]) == (
        "UNEMPLOYMENT", True,
    )  # fmt: skip
    assert {p["personCategory"]: p["eligible"] for p in known["paths"]}["COLLEGE_GRADUATE"] is True
    assert known["graduationDate"] == graduated


def test_eligibility_shows_the_registration_in_progress_and_the_active_application(lambda_context):
    person, certificate_no = holder(lambda_context)
    position = seed_position()
    status, applied = submit(
        person, form(position, _holder_files(person), employmentCertificateNo=None), lambda_context
    )
    assert status == 201, applied

    _, seen = invoke_api("GET", "/me/eligibility", lambda_context, person=person)

    assert seen["certificate"]["certificateNo"] == certificate_no
    assert seen["activeApplication"] == {"applicationId": applied["applicationId"], "status": "PENDING"}
    pending = seed_person()
    _, created = register(pending, job_seeking(graduate_files(pending)), lambda_context)
    _, waiting = invoke_api("GET", "/me/eligibility", lambda_context, person=pending)
    assert waiting["registration"] == {"registrationId": created["registrationId"], "kind": "JOB_SEEKING",
                                       "status": "PENDING"}  # fmt: skip


# --- the application uses the certificate -----------------------------------------------------------


def _holder_files(person: str) -> list[str]:
    """A graduate holder's application files: no 就业创业证 scan."""
    return [seed_attachment(person, "ID_CARD"), seed_attachment(person, "DIPLOMA")]


def test_a_holder_applies_without_typing_the_number_or_uploading_the_scan(lambda_context):
    # Given a holder of a certificate issued here
    person, certificate_no = holder(lambda_context)
    position = seed_position()

    # When they apply leaving the number out and with no certificate scan
    status, answer = submit(person, form(position, _holder_files(person), employmentCertificateNo=None), lambda_context)

    # Then the application is accepted with their number filled in
    assert status == 201, answer
    _, shown = invoke_api("GET", f"/applications/{answer['applicationId']}", lambda_context, person=person)
    assert shown["form"]["employmentCertificateNo"] == certificate_no


def test_a_holder_giving_another_number_is_422_on_the_field(lambda_context):
    person, _ = holder(lambda_context)

    status, answer = submit(
        person,
        form(seed_position(), _holder_files(person), employmentCertificateNo="140105202500000999"),
        lambda_context,
    )

    assert status == 422
    assert field_messages(answer, "employmentCertificateNo") == [
        "与您在本平台取得的就业创业证编号不一致，可不填写，由系统自动填入"
    ]
    assert field_messages(answer, "attachmentIds") == []  # and no scan was asked for


def test_someone_certified_elsewhere_types_the_number_and_uploads_the_scan(lambda_context):
    person = seed_person()

    status, answer = submit(
        person, form(seed_position(), _holder_files(person), employmentCertificateNo=None), lambda_context
    )

    assert status == 422
    assert field_messages(answer, "employmentCertificateNo") == ["请填写就业创业证编号"]
    assert field_messages(answer, "attachmentIds") == ["请上传就业创业证"]


# --- 好差评 ------------------------------------------------------------------------------------


def test_a_finished_registration_is_rated(lambda_context):
    person = seed_person()
    _, created = register(person, job_seeking(graduate_files(person)), lambda_context)
    path = f"/registrations/{created['registrationId']}/rating"
    assert invoke_api("POST", path, lambda_context, person=person, headers=JSON, body={"level": 5})[1]["code"] == (
        "NOT_FINISHED"
    )
    invoke_api("POST", f"/registrations/{created['registrationId']}/withdraw", lambda_context, person=person)

    status, rated = invoke_api("POST", path, lambda_context, person=person, headers=JSON, body={"level": 5})

    assert (status, rated["levelLabel"]) == (201, "非常满意")
    _, shown = invoke_api("GET", f"/registrations/{created['registrationId']}", lambda_context, person=person)
    assert [r["level"] for r in shown["ratings"]] == [5]
    assert shown["canRate"] is False
