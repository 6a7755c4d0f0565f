"""就业创业证 online in the portal (issue 25), in a real browser against the local run: a graduate with
no certificate checks their paths (资格自查, answering the graduation month), registers (求职登记: form,
核对信息, 申报成功), opens it from 我的办件 (登记详情: 撤回 asked first), 太原's bureau approves over SigV4,
the page shows the certificate's number and 办理记录, and the application then has the number filled in
and asks for no certificate scan; a second citizen's 失业登记 (made over the API) is withdrawn on its page.
Every screen at 390×844 and 1366×900 (no sideways scrolling, axe
moderate+, no English), with the helpers of test_portal.py; ``PORTAL_SCREENSHOTS`` saves them too.
One local run (the session's) and one browser for the module."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

from internship import clock
from localrun.sigv4 import RequestsSigV4
from tests.integration.conftest import Stack, log_in
from tests.integration.test_applications_races import CSRF, fresh_id_number, upload_confirmed
from tests.integration.test_portal import (  # noqa: F401 - the fixtures, and the marks' reasons
    FILE_NAMES,
    Screens,
    attachment,
    button,
    choose,
    field,
    files,
    graduate_id_number,
    has_field,
    link,
    main_text,
    pick_date,
    position,
    pytestmark,
    screenshot_on_failure,
    type_into,
    upload,
    wait,
)


def approve_in_taiyuan(stack: Stack, reference_no: str) -> str:
    """太原's bureau finds the registration in its queue and approves it (SigV4): the certificate number."""
    auth = RequestsSigV4(access_key="taiyuan")
    queue = requests.get(f"{stack.base_url}/review/registrations", params={"limit": 100}, auth=auth, timeout=30)
    assert queue.status_code == 200, queue.text
    (found,) = [r for r in queue.json()["items"] if r["referenceNo"] == reference_no]
    path = f"{stack.base_url}/review/registrations/{found['registrationId']}/decision"
    decided = requests.post(path, json={"decision": "APPROVED"}, auth=auth, timeout=30)
    assert decided.status_code == 200, decided.text
    return str(decided.json()["certificateNo"])


def test_a_graduate_registers_and_applies_with_the_number_filled_in(
    browser: Any,
    stack: Stack,
    position: dict[str, Any],  # noqa: F811 - test_portal's fixture
    files: Path,  # noqa: F811
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    base = stack.base_url
    today = clock.today()
    graduated = clock.add_months(today, -6).strftime("%Y-%m")
    screens = Screens(browser, FILE_NAMES)
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)

    # 首页 → 资格自查: the unified auth first, then straight back
    browser.get(f"{base}/")
    link(browser, "资格自查").click()
    hint = wait(browser).until(ready.element_to_be_clickable((By.NAME, "login_hint")))
    hint.send_keys(graduate_id_number())
    button(browser, "登录").click()
    wait(browser).until(ready.url_contains("/services/eligibility"))
    held = wait(browser).until(ready.visibility_of_element_located((By.ID, "certificate-held")))
    name = browser.find_element(By.CSS_SELECTOR, ".user-name").text.removeprefix("您好，")
    screens.allowed = (*FILE_NAMES, name, position["title"])  # the title ends in random hex digits
    assert "尚未在本平台取得" in held.text
    college = "[data-category=COLLEGE_GRADUATE]"
    # the graduate paths wait for the one answer the profile does not know
    assert browser.find_element(By.CSS_SELECTOR, college).get_attribute("data-eligible") == "null"
    assert "待确认" in browser.find_element(By.CSS_SELECTOR, college).text
    screens.check("registration-1-eligibility")

    # the graduation month (asked, never stored) opens 求职登记, and the next step says so
    pick_date(browser, "您的毕业时间", graduated)
    button(browser, "重新判断").click()
    wait(browser).until(
        lambda d: d.find_element(By.CSS_SELECTOR, college).get_attribute("data-eligible") == "true",
        "six months after graduating, the college graduate's path did not open",
    )
    assert "符合" in browser.find_element(By.CSS_SELECTOR, college).text
    screens.check("registration-2-eligibility-answered", show="#paths-title")
    link(browser, "办理求职登记").click()

    # 求职登记: the graduation month carried over; 下一步 without the rest lists every problem
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "求职登记"))
    wait(browser).until(lambda d: has_field(d, "毕业时间"), "no graduation month asked")
    assert not has_field(browser, "失业时间"), "a 求职登记 asks since when someone is unemployed"
    button(browser, "下一步").click()
    summary = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    links = [a.text for a in summary.find_elements(By.TAG_NAME, "a")]
    assert "请填写毕业院校" in links, links
    assert "请上传毕业证书" in links, links
    assert "请选择毕业时间" not in links, "the month answered in 资格自查 was lost"
    type_into(field(browser, "手机号码"), "13812345678")
    type_into(field(browser, "学历"), "本科")
    type_into(field(browser, "毕业院校"), "山西大学")
    type_into(field(browser, "所学专业"), "软件工程")
    choose(field(browser, "市"), "太原市")
    choose(field(browser, "县（市、区）"), "小店区")
    type_into(field(browser, "联系地址"), "太原市小店区体育路1号")
    for label, file_name in (("身份证", "身份证.pdf"), ("毕业证书", "毕业证书.pdf")):
        box = upload(browser, label, files / file_name)
        wait(browser).until(lambda d, box=box: box.get_attribute("data-state") == "done", f"{label} never turned green")
    wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".error-summary"), "the summary stayed")
    screens.check("registration-3-form", show="#registrant-title")

    # 核对信息, then 提交 → 申报成功 with a registration's reference number (DJ…)
    button(browser, "下一步").click()
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "核对信息"))
    text = main_text(browser)
    for shown in ("太原市小店区", "13812345678", "毕业证书.pdf"):
        assert shown in text, f"核对信息 does not show {shown!r}"
    screens.check("registration-4-check", show="#check-title")
    button(browser, "提交").click()
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "申报成功"))
    reference_no = re.search(r"DJ\d{14}", main_text(browser)).group(0)  # type: ignore[union-attr]
    screens.check("registration-5-done")

    # 我的办件 → 查看: the registration's own page, 未审核, with 撤回 asked first (取消 keeps it)
    browser.get(f"{base}/center/cases")
    row = f"//tr[@data-reference='{reference_no}']"
    wait(browser).until(ready.visibility_of_element_located((By.XPATH, row)))
    link(browser, "查看", within=browser.find_element(By.XPATH, row)).click()
    wait(browser).until(ready.url_contains("/center/registrations/"))
    page = browser.current_url
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), reference_no))
    assert "未审核" in main_text(browser)
    button(browser, "撤回").click()
    box = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".el-message-box")))
    assert f"{reference_no} 的登记" in box.text, box.text
    button(browser, "取消", within=box).click()
    wait(browser).until(ready.invisibility_of_element_located((By.CSS_SELECTOR, ".el-message-box")))
    assert "未审核" in main_text(browser)

    # 太原 approves over SigV4; the page then shows the certificate's number and both steps in 办理记录
    number = approve_in_taiyuan(stack, reference_no)
    assert re.fullmatch(rf"140105{today:%Y}\d{{8}}", number), number
    browser.get(page)
    certificate = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "[data-certificate]")))
    assert certificate.text == number
    history = browser.find_element(By.XPATH, "//section[h2='办理记录']").text
    for step in ("提交申报", "审核通过"):
        assert step in history, history
    for shown in ("审核通过", "太原市小店区", "13812345678", "毕业证书.pdf"):
        assert shown in main_text(browser), f"登记详情 does not show {shown!r}"
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='撤回']"), "撤回 on an approved registration"
    screens.check("registration-6-detail")
    # 评价 once finished: under the registration's own path, and the page thanks the citizen
    browser.find_element(By.CSS_SELECTOR, "label[for=rating-level-5]").click()
    button(browser, "提交评价").click()
    thanks = wait(browser).until(ready.visibility_of_element_located((By.ID, "rating-thanks")))
    assert "感谢您的评价（非常满意）" in thanks.text, thanks.text

    # 我的办件 shows the registration with its kind and the certificate's number
    browser.get(f"{base}/center/cases")
    wait(browser).until(ready.visibility_of_element_located((By.XPATH, row)))
    shown = browser.find_element(By.XPATH, row).text
    for expected in ("求职登记", "审核通过", number):
        assert expected in shown, shown
    screens.check("registration-6-cases", show="#registrations-title")

    # 资格自查 now shows the certificate and one next step: 申请就业见习
    browser.get(f"{base}/services/eligibility")
    wait(browser).until(lambda d: number in d.find_element(By.ID, "certificate-held").text)
    link(browser, "申请就业见习").click()

    # the application: the number is there, and no 就业创业证 scan is asked for
    browser.get(f"{base}/services/internship/apply/{position['positionId']}")
    choose(field(browser, "人员类别"), "离校2年内未就业高校毕业生")
    number_field = field(browser, "就业创业证编号")
    assert number_field.get_attribute("value") == number
    assert number_field.get_attribute("readonly") is not None
    attachment(browser, "身份证")
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "fieldset.attachment legend")]
    assert "就业创业证" not in labels, labels
    type_into(field(browser, "手机号码"), "13812345678")
    type_into(field(browser, "学历"), "本科")
    type_into(field(browser, "毕业院校"), "山西大学")
    type_into(field(browser, "所学专业"), "软件工程")
    pick_date(browser, "毕业时间", graduated)
    choose(field(browser, "市"), "太原市")
    choose(field(browser, "县（市、区）"), "小店区")
    type_into(field(browser, "联系地址"), "太原市小店区体育路1号")
    start = today + timedelta(days=7)
    pick_date(browser, "见习开始日期", start.isoformat())
    pick_date(browser, "见习结束日期", clock.add_months(start, 6).isoformat())
    for label, file_name in (("身份证", "身份证.pdf"), ("毕业证书", "毕业证书.pdf")):
        box = upload(browser, label, files / file_name)
        wait(browser).until(lambda d, box=box: box.get_attribute("data-state") == "done", f"{label} never turned green")
    screens.check("registration-7-application", show="label[for=f-employmentCertificateNo]")
    button(browser, "下一步").click()
    wait(browser).until(ready.url_contains("/check"))
    assert number in main_text(browser)
    button(browser, "提交").click()
    wait(browser).until(ready.url_contains("/services/internship/submitted/"))
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "申报成功"))

    # 撤回 on a registration's page: a 20-year-old's 失业登记, made over the API, withdrawn after the
    # confirmation; the page then says so and shows 已撤回 (and no 撤回 any more)
    youth = log_in(base, fresh_id_number(20))
    body = {
        "kind": "UNEMPLOYMENT",
        "phone": "13912345678",
        "educationLevel": "高中",
        "householdRegionCode": "140105",
        "address": "太原市小店区坞城路92号",
        "unemployedSince": clock.add_months(today, -2).isoformat(),
        "attachmentIds": [upload_confirmed(stack, youth, "ID_CARD")],
    }
    registered = youth.post(f"{base}/registrations", json=body, headers=CSRF, timeout=30)
    assert registered.status_code == 201, registered.text
    youth_reference = registered.json()["referenceNo"]
    browser.delete_all_cookies()
    browser.add_cookie({"name": "session", "value": youth.token, "path": "/"})  # type: ignore[attr-defined]
    browser.get(f"{base}/center/registrations/{registered.json()['registrationId']}")
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), youth_reference))
    assert "失业登记" in main_text(browser)
    button(browser, "撤回").click()
    box = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".el-message-box")))
    assert youth_reference in box.text
    button(browser, "确认", within=box).click()
    notice = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "[data-notice=withdrawn]")))
    assert youth_reference in notice.text
    status = (By.CSS_SELECTOR, ".status")
    wait(browser).until(lambda d: "已撤回" in d.find_element(*status).text, "the status did not turn 已撤回")
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='撤回']"), "撤回 on a withdrawn registration"
    history = browser.find_element(By.XPATH, "//section[h2='办理记录']").text
    assert "撤回" in history, history
    screens.check("registration-8-withdrawn")
    youth.close()
