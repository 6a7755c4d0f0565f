"""A case after 申报成功, in Debian's headless Chromium (issues 27 and 28 in the portal): the page behind a
printed form's QR code (``portal/src/views/VerifyView.vue``): a phone opens the URL the QR code holds and reads
the current status; a changed code says plainly that the form does not verify; on a desktop the code is typed
from the paper (with its dashes, in lower case). Then a citizen's own case: 打印申请表 on the confirmation
downloads ``<业务流水号>.pdf`` whose QR code opens that page (未审核, then 审核通过 after the bureau's SigV4
decision); the decision is an unread 消息 counted top right; the citizen rates the case 不满意 by keyboard and
sees the bureau's follow-up. The case is set up over the API: the application journey is test_portal's.

Each screen is judged as the portal's own (``test_portal.Screens``: at 390×844 and 1366×900, no sideways
scrolling, axe-core, no English but the code itself).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import requests

from localrun.sigv4 import RequestsSigV4
from tests import pdf_tools
from tests.integration.portal_browser import (
    PHONE,
    PORTAL_MARKS,
    Screens,
    active_id,
    button,
    field,
    has_field,
    link,
    main_text,
    screenshot_on_failure,  # noqa: F401  (a failing step's page, saved)
    type_into,
    wait,
)
from tests.integration.test_applications_races import CSRF, decide, submitted_application
from tests.integration.test_notifications_http import TAIYUAN, applied, sms_to, wait_for

pytestmark = PORTAL_MARKS


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


def header_messages(driver: Any) -> str:
    """What a screen reader says for the header's 消息 link (its badge's digits are hidden from it)."""
    from selenium.webdriver.common.by import By

    found = wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "header a.messages"), "no 消息 top right")
    return str(found[0].accessible_name)


def test_a_citizen_prints_the_form_is_told_of_the_decision_and_rates_it(stack, login, iam_auth, browser: Any):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready

    pdf_tools.require_tools()
    base = stack.base_url
    case = applied(stack, login, iam_auth)
    downloads = Path(tempfile.mkdtemp(prefix="portal-downloads-"))
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.delete_all_cookies()
    browser.set_window_size(*PHONE)

    # Logged in through the unified auth (the development identity provider), back on the confirmation
    browser.get(f"{base}/auth/login?redirect=/services/internship/submitted/{case.application_id}")
    wait(browser).until(ready.element_to_be_clickable((By.NAME, "login_hint"))).send_keys(case.id_number)
    button(browser, "登录").click()
    wait(browser).until(lambda d: "申报成功" in main_text(d), "no confirmation after the login")
    screens = Screens(browser, (case.reference_no, "employment_certificate.pdf", "diploma.pdf"))  # its files

    # 打印申请表: the PDF, named after the reference number, with the QR code of the verification page
    button(browser, "打印申请表").click()
    printed = downloads / f"{case.reference_no}.pdf"
    wait(browser).until(lambda _: printed.is_file() and printed.stat().st_size > 0, f"{printed.name} never arrived")
    pdf = printed.read_bytes()
    assert pdf.startswith(b"%PDF")
    (url,) = pdf_tools.qr_codes(pdf)
    assert url.startswith(f"{base}/verification/{case.reference_no}?v=")

    # Scanning it: 未审核; after the bureau's decision over SigV4, the same code says 审核通过
    browser.get(url)
    wait(browser).until(lambda d: "申请表真实有效" in page_text(d), "the printed form did not verify")
    assert "未审核" in page_text(browser)
    decided = decide(stack, case.application_id, {"decision": "APPROVED", "reason": "符合见习条件"}, iam_auth)
    assert decided.status_code == 200, decided.text
    browser.refresh()
    wait(browser).until(lambda d: "审核通过" in page_text(d), "the verification page did not show the decision")

    # The decision is an unread 消息, counted top right on the next page (asked on navigation, not polled)
    def unread() -> int:
        return int(case.session.get(f"{base}/me/messages", timeout=10).json()["unreadCount"])

    wait_for("the decision's message", unread)
    browser.get(f"{base}/center")
    wait(browser).until(lambda d: header_messages(d) == "消息，1条未读", "the header does not count one unread 消息")
    link(browser, "消息").click()
    item = wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "li.unread"), "no unread message")[0]
    for shown in ("未读", "审核通过", case.reference_no):
        assert shown in item.text, shown
    screens.check("20-messages")
    # Opening it (Enter on it, as a keyboard does) reads it: the count goes, its case is one link away
    item.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
    wait(browser).until(lambda d: header_messages(d) == "消息", "opening the message did not mark it read")
    assert not browser.find_elements(By.CSS_SELECTOR, "li.unread")
    assert unread() == 0
    link(browser, "查看办件", within=item).click()
    wait(browser).until(ready.url_contains(f"/center/cases/{case.application_id}"))

    # 评价: 不满意 chosen with the arrow keys (非常满意 → 满意 → 基本满意 → 不满意), a comment, 提交评价 by Enter
    best = field(browser, "非常满意")
    best.send_keys(Keys.ARROW_DOWN)
    for _ in range(2):
        browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert field(browser, "不满意").is_selected()
    screens.check("21-rate", show="#rating-title")
    comment = field(browser, "评价内容")
    comment.send_keys("岗位信息与实际不符")
    assert "已输入9字" in main_text(browser)
    comment.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: "感谢您的评价（不满意）" in main_text(d), "the rating was not taken")
    assert active_id(browser) == "rating-thanks"  # the form went: the keyboard is on what the page now says
    wait(browser).until(lambda d: "待回访" in main_text(d), "the 差评's follow-up is not shown")
    assert "岗位信息与实际不符" in main_text(browser)

    # The SMS of the decision: the reference number, no ID number
    (sms,) = wait_for("the SMS", lambda: sms_to(base, case.phone))
    assert case.reference_no in sms["text"]
    assert "审核通过" in sms["text"]
    assert case.id_number not in sms["text"]

    # The 太原 bureau closes the follow-up over SigV4; the citizen sees its result in the case, and may rate again
    page = requests.get(f"{base}/review/ratings", params={"followUp": "OPEN"}, auth=TAIYUAN, timeout=10).json()
    (line,) = [r for r in page["items"] if r["referenceNo"] == case.reference_no]
    result = "已电话联系申请人，核实岗位信息并督促单位更正"
    closed = requests.post(
        f"{base}/review/ratings/{line['ratingId']}/follow-up",
        json={"result": result, "note": "经办人王某"},
        auth=TAIYUAN,
        timeout=10,
    )
    assert closed.status_code == 200, closed.text
    browser.refresh()
    wait(browser).until(lambda d: result in main_text(d), "the follow-up's result is not shown in the case")
    text = main_text(browser)
    assert "已办结" in text
    assert "经办人王某" not in text  # the bureau's note is its own
    assert "回访后再次评价本次办理" in text
    screens.check("22-follow-up", show="#rating-title")

    # Rated again meanwhile (another tab): 提交评价 here shows the API's 409 message, and the case as it is now
    url = f"{base}/applications/{case.application_id}/rating"
    assert case.session.post(url, json={"level": 4}, headers=CSRF, timeout=10).status_code == 201
    field(browser, "基本满意").send_keys(Keys.SPACE)
    button(browser, "提交评价").click()
    wait(browser).until(lambda d: "您已评价过该办件" in main_text(d), "the API's ALREADY_RATED was not shown")
    wait(browser).until(lambda d: not has_field(d, "基本满意"), "the form stayed after the case was rated")
    levels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".ratings li strong")]
    assert sorted(levels) == ["不满意", "满意"], levels
