"""The portal's page behind a printed form's QR code (``portal/src/views/VerifyView.vue``), in Debian's
headless Chromium: a phone opens the URL the QR code holds and reads the current status; a changed code
says plainly that the form does not verify; on a desktop the code is typed from the paper (with its
dashes, in lower case). Each screen is judged as the portal's own (``test_portal.Screens``: at 390×844 and
1366×900, no sideways scrolling, axe-core, no English but the code itself).

Runs once the portal routes the page (``/verification/:referenceNo?``, README "Printing the form").
"""

from __future__ import annotations

from typing import Any

import pytest

from localrun.sigv4 import RequestsSigV4
from tests import pdf_tools
from tests.integration.conftest import ROOT
from tests.integration.test_applications_races import submitted_application
from tests.integration.test_portal import Screens, button, field, type_into, wait
from tests.integration.test_portal import pytestmark as portal_marks

ROUTED = "VerifyView" in (ROOT / "portal" / "src" / "router.ts").read_text(encoding="utf-8")
pytestmark = [
    *portal_marks,
    pytest.mark.skipif(not ROUTED, reason="the portal does not route /verification/:referenceNo to VerifyView.vue yet"),
]


def page_text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "body").text)


def test_a_phone_scanning_a_printed_form_reads_its_status(stack, login, iam_auth: RequestsSigV4, browser: Any):
    pdf_tools.require_tools()
    session, application_id = submitted_application(stack, login, iam_auth)
    pdf = session.get(f"{stack.base_url}/applications/{application_id}/form.pdf", timeout=60).content
    (url,) = pdf_tools.qr_codes(pdf)
    reference_no = url.split("/verification/", 1)[1].split("?", 1)[0]
    code = url.rsplit("v=", 1)[1]
    printed = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    screens = Screens(browser, (reference_no, code, printed, printed.lower()))

    # A phone opens what the QR code holds: the form verifies, with today's status
    browser.set_window_size(390, 844)
    browser.get(url)
    wait(browser).until(lambda d: "申请表真实有效" in page_text(d), "the page never said the form verifies")
    text = page_text(browser)
    for expected in (reference_no, "未审核", "申报流程测试岗位", "太原申报测试科技有限公司"):
        assert expected in text, expected
    screens.check("17-verify-phone")

    # A changed code: a plain message, never a status
    browser.get(url[:-1] + ("A" if code[-1] != "A" else "B"))
    wait(browser).until(lambda d: "未能核验该申请表" in page_text(d), "a wrong code was not refused")
    assert "未审核" not in page_text(browser)
    screens.check("18-verify-refused")

    # On a desktop, the code typed from the paper as printed (dashes), in lower case
    browser.set_window_size(1366, 900)
    browser.get(f"{stack.base_url}/verification/{reference_no}")
    type_into(field(browser, "核验码"), printed.lower())
    button(browser, "核验").click()
    wait(browser).until(lambda d: "申请表真实有效" in page_text(d), "the typed code did not verify")
    screens.check("19-verify-desktop")
