"""Printed forms over the local run, as a citizen, a phone and a host unit use them: the applicant
downloads the 申请表 (real HTTP, the function's base64 answer turned back into bytes by the gateway), a
phone decodes its QR code, the portal page behind it asks the API, which answers the CURRENT status (a
reviewer decides over SigV4 in between), and nothing else verifies.

``FORM_SCREENSHOT=docs/application-form.png`` also saves page 1 of the form for the README.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from localrun.sigv4 import RequestsSigV4
from tests import pdf_tools
from tests.integration.test_applications_races import decide, fresh_id_number, submitted_application

pytestmark = pytest.mark.integration
PDF = {"Accept": "application/pdf"}


def test_a_printed_form_verifies_with_the_status_of_today_and_nothing_else_does(stack, login, iam_auth: RequestsSigV4):
    pdf_tools.require_tools()
    base = stack.base_url
    # Given a citizen's submitted application
    session, application_id = submitted_application(stack, login, iam_auth)

    # When they print their form (打印申请表)
    answer = session.get(f"{base}/applications/{application_id}/form.pdf", headers=PDF, timeout=60)

    # Then they get the PDF's bytes, named after the reference number, not kept by any cache
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    pdf = answer.content
    assert pdf.startswith(b"%PDF-")
    text = pdf_tools.text(pdf)
    reference_no = next(line.split("：", 1)[1].strip() for line in text.splitlines() if line.startswith("业务流水号"))
    assert answer.headers["Content-Disposition"].endswith(f"filename*=UTF-8''{reference_no}.pdf")
    assert "就业见习人员申请表" in text
    assert "申报流程测试岗位" in text  # the position's title
    assert "未审核" in text
    if os.environ.get("FORM_SCREENSHOT"):
        pdf_tools.page_png(pdf, Path(os.environ["FORM_SCREENSHOT"]), dpi=110)

    # And a phone scanning its QR code opens the portal's page for it, on the portal's origin
    (url,) = pdf_tools.qr_codes(pdf)
    page = urlsplit(url)
    assert f"{page.scheme}://{page.netloc}" == base
    assert page.path == f"/verification/{reference_no}"
    code = parse_qs(page.query)["v"][0]
    opened = requests.get(url, headers={"Accept": "text/html"}, timeout=60)
    assert opened.status_code == 200
    assert "text/html" in opened.headers["Content-Type"]  # the portal, which asks the API:

    def check(number: str, v: str) -> requests.Response:
        return requests.get(f"{base}/verify/{number}", params={"v": v}, timeout=60)  # no login

    checked = check(reference_no, code)
    assert checked.status_code == 200, checked.text
    assert checked.json()["statusLabel"] == "未审核"
    assert checked.json()["referenceNo"] == reference_no

    # When the bureau approves it after it was printed
    decided = decide(stack, application_id, {"decision": "APPROVED"}, iam_auth)
    assert decided.status_code == 200, decided.text

    # Then the same printed form verifies with the decision
    checked = check(reference_no, code)
    assert checked.status_code == 200, checked.text
    assert (checked.json()["status"], checked.json()["statusLabel"]) == ("APPROVED", "审核通过")

    # And a changed code, a changed number and an unknown one are the same 404
    other = "A" if code[0] != "A" else "B"
    refused = [check(reference_no, other + code[1:]), check("JX20000101000000", code),
               check(reference_no[:-1] + str((int(reference_no[-1]) + 1) % 10), code)]  # fmt: skip
    assert {r.status_code for r in refused} == {404}
    assert len({_without_request_id(r.json()) for r in refused}) == 1


def _without_request_id(body: dict[str, Any]) -> str:
    return repr({k: v for k, v in sorted(body.items()) if k != "requestId"})


def test_another_persons_form_is_404_and_a_form_needs_a_login(stack, login, iam_auth: RequestsSigV4):
    base = stack.base_url
    _, application_id = submitted_application(stack, login, iam_auth)
    stranger = login(fresh_id_number())

    answer = stranger.get(f"{base}/applications/{application_id}/form.pdf", headers=PDF, timeout=60)
    assert answer.status_code == 404
    assert answer.json()["code"] == "NOT_FOUND"

    anonymous = requests.get(f"{base}/applications/{application_id}/form.pdf", headers=PDF, timeout=60)
    assert anonymous.status_code == 401
