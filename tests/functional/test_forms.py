"""Printed forms (打印报表) through the handler, against moto: the applicant's PDF (its text, fonts, size and
QR code, read with the tools a person has) and the public check of a printed form."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from internship import clock
from internship.applications import repository as applications
from tests import pdf_tools
from tests.functional import review_fixtures
from tests.functional.conftest import call_api, invoke_api
from tests.functional.test_applications_api import (  # noqa: F401 - calls: the round-trip counter fixture
    Calls,
    calls,
    form,
    full_set,
    seed_person,
    seed_position,
    submit,
)

pytestmark = pytest.mark.usefixtures("aws_backend")


@pytest.fixture
def submitted(lambda_context: Any) -> dict[str, Any]:
    """A college graduate's PENDING application, submitted through the API."""
    person = seed_person()
    status, answer = submit(person, form(seed_position(), full_set(person)), lambda_context)
    assert status == 201, answer
    return {"person": person, **answer}


def download(application_id: str, person: str, context: Any) -> dict[str, Any]:
    return call_api("GET", f"/applications/{application_id}/form.pdf", context, person=person)


def pdf_of(answer: dict[str, Any]) -> bytes:
    assert answer["isBase64Encoded"] is True
    return base64.b64decode(answer["body"])


def written_date(timestamp: str) -> str:
    """The date of an ISO timestamp as the form writes it (2026年12月7日)."""
    day = date.fromisoformat(timestamp[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def header(answer: dict[str, Any], name: str) -> str:
    values = answer["multiValueHeaders"][name]
    return str(values[-1])


def verify(reference_no: str, code: str, context: Any) -> tuple[int, Any]:
    return invoke_api("GET", f"/verify/{reference_no}", context, query={"v": code})


def printed_code(pdf: bytes) -> tuple[str, str]:
    """The reference number and code the form's QR code holds (decoded from the rendered page)."""
    (url,) = pdf_tools.qr_codes(pdf)
    parts = urlsplit(url)
    return parts.path.rsplit("/", 1)[-1], parse_qs(parts.query)["v"][0]


# --- the PDF -------------------------------------------------------------------------------------------


def test_the_applicant_downloads_their_form_as_a_small_pdf_with_every_font_embedded(submitted, lambda_context):
    pdf_tools.require_tools()
    # When the applicant asks for their form
    answer = download(submitted["applicationId"], submitted["person"], lambda_context)

    # Then it is a PDF named after the reference number, never cached
    assert answer["statusCode"] == 200, answer
    reference_no = submitted["referenceNo"]
    assert header(answer, "Content-Type") == "application/pdf"
    assert header(answer, "Content-Disposition") == (
        f"attachment; filename=\"{reference_no}.pdf\"; filename*=UTF-8''{reference_no}.pdf"
    )
    assert header(answer, "Cache-Control") == "no-store"
    pdf = pdf_of(answer)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) < 120 * 1024  # tens of KB: the font is a subset, not the 5 MB face
    # and every font is embedded as a subset, with a map back to Unicode (text can be selected)
    found = pdf_tools.fonts(pdf)
    assert found
    assert all((f["emb"], f["sub"], f["uni"]) == ("yes", "yes", "yes") for f in found), found

    # and its text is searchable: the title, the reference number, the name, the household's county by its
    # name (regions), the position and the unit
    text = pdf_tools.text(pdf)
    for expected in ("就业见习人员申请表", reference_no, "张三", "太原市小店区（140105）", "行政助理",
                     "太原市某科技有限公司", "未审核", "离校2年内未就业高校毕业生", "山西大学", "身份证", "就业创业证",
                     "毕业证书"):  # fmt: skip
        assert expected in text, expected
    # with the ID number and the phone masked as in lists, never in full
    assert "********" in text
    assert "139****5678" in text
    assert "13912345678" not in text


def test_the_qr_code_holds_the_portal_page_that_verifies_this_form(submitted, lambda_context):
    pdf_tools.require_tools()
    pdf = pdf_of(download(submitted["applicationId"], submitted["person"], lambda_context))

    # The QR code, decoded as a phone would, opens the portal's verification page of this form
    (url,) = pdf_tools.qr_codes(pdf)
    assert url.startswith(f"http://127.0.0.1:3000/verification/{submitted['referenceNo']}?v=")
    reference_no, code = printed_code(pdf)
    # and the code printed under it (in groups of four) is the one in the URL
    printed = pdf_tools.text(pdf).replace("\n", "")
    assert "-".join(code[i : i + 4] for i in range(0, 16, 4)) in printed

    # and the API behind that page answers the application's status with the name masked
    status, body = verify(reference_no, code, lambda_context)
    assert status == 200, body
    stored = review_fixtures.get({"pk": f"APPLICATION#{submitted['applicationId']}", "sk": "APPLICATION"}) or {}
    assert body == {
        "referenceNo": submitted["referenceNo"],
        "status": "PENDING",
        "statusLabel": "未审核",
        "submittedAt": stored["submittedAt"],
        "nameMasked": "张*",
        "positionTitle": "行政助理",
        "unitName": "太原市某科技有限公司",
    }


def test_another_persons_form_and_an_unknown_one_are_404(submitted, lambda_context):
    stranger = seed_person()
    for application_id, person in ((submitted["applicationId"], stranger), ("no-such-application", stranger)):
        answer = download(application_id, person, lambda_context)
        assert answer["statusCode"] == 404
        body = json.loads(answer["body"])
        assert body["code"] == "NOT_FOUND"
        assert submitted["referenceNo"] not in answer["body"]


def test_a_rejected_application_prints_its_decision_date_and_reason(lambda_context):
    pdf_tools.require_tools()
    review_fixtures.jurisdictions()
    item = review_fixtures.application(review_fixtures.position(), person_id="person-rejected")
    reason = "毕业证书照片不清晰，请重新上传"
    decision = {"decision": "REJECTED", "reason": reason}
    status, decided = invoke_api("POST", f"/review/applications/{item['applicationId']}/decision", lambda_context,
                                 principal=review_fixtures.REVIEWER, body=decision)  # fmt: skip
    assert status == 200, decided

    text = pdf_tools.text(pdf_of(download(item["applicationId"], "person-rejected", lambda_context)))

    assert "审核不通过" in text
    assert "不通过原因" in text
    assert reason in text
    assert written_date(str(decided["decidedAt"])) in text  # the decision's date


def test_an_application_stored_before_snapshots_kept_upload_times_prints_them_from_the_attachments(
    lambda_context, monkeypatch: pytest.MonkeyPatch
):
    pdf_tools.require_tools()
    moment = clock.now()  # held: uploads and printing fall on one day even if a slow run crosses midnight
    monkeypatch.setattr(clock, "now", lambda: moment)
    # Given an application whose attachment snapshot has no upload time (stored before it was kept)
    person = seed_person()
    attachment_ids = full_set(person)
    snapshots = [{**applications.snapshot(review_fixtures.get({"pk": f"ATTACHMENT#{a}", "sk": "ATTACHMENT"}) or {}),
                  "confirmedAt": None} for a in attachment_ids]  # fmt: skip
    item = review_fixtures.application(review_fixtures.position(), person_id=person, attachments=snapshots)

    text = pdf_tools.text(pdf_of(download(item["applicationId"], person, lambda_context)))

    # Then the upload dates (today) come from the attachments themselves: three of them, and the footnote's
    assert text.count(written_date(moment.isoformat())) == 4, text


def test_the_form_is_one_read_and_a_wrong_code_reads_nothing(submitted, lambda_context, calls: Calls):  # noqa: F811
    # The form: the application with its history, one Query
    calls.reset()
    assert download(submitted["applicationId"], submitted["person"], lambda_context)["statusCode"] == 200
    assert calls.operations == ["Query"]

    # A code that does not match is refused before anything is read, whether the number exists or not
    calls.reset()
    assert verify(submitted["referenceNo"], "A" * 16, lambda_context)[0] == 404
    assert verify("JX20000101000000", "A" * 16, lambda_context)[0] == 404
    assert calls.operations == []


# --- the check -----------------------------------------------------------------------------------------


def test_a_changed_code_an_unknown_number_and_a_code_of_another_form_all_get_the_same_404(submitted, lambda_context):
    from internship.forms import codes

    reference_no = submitted["referenceNo"]
    code = codes.code(reference_no)
    assert verify(reference_no, code.lower(), lambda_context)[0] == 200  # typed in lower case

    changed = "B" if code[-1] != "B" else "C"
    answers = [
        verify(reference_no, code[:-1] + changed, lambda_context),  # one character changed
        verify("JX20000101000000", code, lambda_context),  # an unknown number with a real code
        verify("JX20000101000000", codes.code("JX20000101000000"), lambda_context),  # a valid code, no application
        verify(reference_no[:-1] + str((int(reference_no[-1]) + 1) % 10), code, lambda_context),  # the number changed
    ]
    bodies = [(status, {k: v for k, v in body.items() if k != "requestId"}) for status, body in answers]
    assert all(status == 404 for status, _ in bodies)
    assert all(body == bodies[0][1] for _, body in bodies), bodies
    assert bodies[0][1]["message"] == "未找到与该业务流水号和核验码相符的申请表，请核对后重新输入"


@pytest.mark.parametrize("code", ["ABC", "ABCDEFGHJKLMNPQR1", "ABCDEFGHJKLMNP01", "ABCD-EFGH-JKLM-N"])
def test_a_code_that_cannot_be_one_is_422_on_v_whatever_the_number(submitted, lambda_context, code: str):
    status, body = verify(submitted["referenceNo"], code, lambda_context)
    assert status == 422
    assert [e["field"] for e in body["errors"]] == ["v"]


def test_the_check_shows_the_status_now_not_the_one_printed(lambda_context):
    review_fixtures.jurisdictions()
    item = review_fixtures.application(review_fixtures.position(), person_id="person-approved")
    from internship.forms import codes

    code = codes.code(item["referenceNo"])
    assert verify(item["referenceNo"], code, lambda_context)[1]["statusLabel"] == "未审核"
    status, decided = invoke_api("POST", f"/review/applications/{item['applicationId']}/decision", lambda_context,
                                 principal=review_fixtures.REVIEWER, body={"decision": "APPROVED"})  # fmt: skip
    assert status == 200, decided

    status, body = verify(item["referenceNo"], code, lambda_context)
    assert (status, body["status"], body["statusLabel"]) == (200, "APPROVED", "审核通过")
