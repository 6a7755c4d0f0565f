"""The portal's page behind a printed form's QR code (``portal/src/views/VerifyView.vue``), in Debian's
headless Chromium: a phone opens the URL the QR code holds and reads the current status; a changed code
says plainly that the form does not verify; on a desktop the code is typed from the paper (with its
dashes, in lower case). Each page passes axe-core and fits a 390×844 screen.

Runs once the portal routes the page (``/verification/:referenceNo?``, README "Printing the form").
"""

from __future__ import annotations

from typing import Any

import pytest

from localrun.sigv4 import RequestsSigV4
from tests import pdf_tools
from tests.integration.conftest import ROOT
from tests.integration.test_applications_races import submitted_application
from tests.integration.test_portal import (
    button,
    check_page,
    field,
    fits_the_screen,
    page_text,
    type_into,
    wait,
)
from tests.integration.test_portal import pytestmark as portal_marks

ROUTED = "VerifyView" in (ROOT / "portal" / "src" / "router.ts").read_text(encoding="utf-8")
pytestmark = [
    *portal_marks,
    pytest.mark.skipif(not ROUTED, reason="the portal does not route /verification/:referenceNo to VerifyView.vue yet"),
]


def test_a_phone_scanning_a_printed_form_reads_its_status(stack, login, iam_auth: RequestsSigV4, browser: Any):
    pdf_tools.require_tools()
    session, application_id = submitted_application(stack, login, iam_auth)
    pdf = session.get(f"{stack.base_url}/applications/{application_id}/form.pdf", timeout=60).content
    (url,) = pdf_tools.qr_codes(pdf)
    reference_no = url.split("/verification/", 1)[1].split("?", 1)[0]
    code = url.rsplit("v=", 1)[1]

    # A phone opens what the QR code holds: the form verifies, with today's status
    browser.set_window_size(390, 844)
    browser.get(url)
    wait(browser).until(lambda d: "申请表真实有效" in page_text(d), "the page never said the form verifies")
    text = page_text(browser)
    for expected in (reference_no, "未审核", "申报流程测试岗位", "太原申报测试科技有限公司"):
        assert expected in text, expected
    assert fits_the_screen(browser)
    check_page(browser, "15-verify-phone")

    # A changed code: a plain message, never a status
    browser.get(url[:-1] + ("A" if code[-1] != "A" else "B"))
    wait(browser).until(lambda d: "未能核验该申请表" in page_text(d), "a wrong code was not refused")
    assert "未审核" not in page_text(browser)
    assert fits_the_screen(browser)
    check_page(browser, "16-verify-refused")

    # On a desktop, the code typed from the paper as printed (dashes), in lower case
    browser.set_window_size(1280, 800)
    browser.get(f"{stack.base_url}/verification/{reference_no}")
    printed = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    type_into(field(browser, "核验码"), printed.lower())
    button(browser, "核验").click()
    wait(browser).until(lambda d: "申请表真实有效" in page_text(d), "the typed code did not verify")
    check_page(browser, "17-verify-desktop")
