"""The citizen portal (SPEC §5a) in a real browser: the user manual's journey, figure by figure, as a
citizen clicks it, against the local run's real API, S3 (moto) and development identity provider.

Controls are found the way assistive technology finds them: inputs by the text of their bound
``<label for>``, buttons by what they read (上传, 提交, 撤回, 确认, 重新申报, 退出登录). Each page is
checked with axe-core (no serious or critical WCAG 2.1 A/AA violation). ``PORTAL_SCREENSHOTS=<dir>``
(``make screenshots``) saves a PNG of each step; the README shows them beside the manual's figures.

Needs the built portal (``make test`` builds it first) and Debian's Chromium; skipped, saying so,
without them.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from internship import clock
from localrun.dev_sso import id_number
from localrun.portal import PORTAL_DIST
from localrun.sigv4 import RequestsSigV4
from tests.attachment_files import pdf, png
from tests.integration.conftest import CHROMEDRIVER, CHROMIUM, ROOT, Stack
from tests.position_bodies import position_body

AXE = ROOT / "portal" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
WAIT = 60  # generous: how long a step may take before the test says what did not happen

pytestmark = [
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="headless Chromium not installed (see .ci/run)"),
    pytest.mark.skipif(not (PORTAL_DIST / "index.html").is_file(), reason="portal not built (make portal)"),
    pytest.mark.skipif(not AXE.is_file(), reason="portal packages not installed (cd portal && npm ci)"),
]


# --- how a citizen (and a screen reader) finds things --------------------------------------------


def wait(driver: Any, seconds: float = WAIT) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds)


def xpath_text(text: str) -> str:
    return "'" + text + "'" if "'" not in text else 'concat("' + text + '")'


def button(driver: Any, text: str, within: Any = None) -> Any:
    """The enabled, visible button that reads ``text``."""
    from selenium.webdriver.common.by import By

    root = within or driver
    xpath = f".//button[normalize-space()={xpath_text(text)}]"

    def find(_: Any) -> Any:
        for element in root.find_elements(By.XPATH, xpath):
            if element.is_displayed() and element.is_enabled():
                return element
        return False

    return wait(driver).until(find, f"no button reading {text!r}")


def link(driver: Any, text: str) -> Any:
    from selenium.webdriver.common.by import By

    xpath = f"//a[normalize-space()={xpath_text(text)}]"
    return wait(driver).until(lambda d: next((e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()), False))


def field(driver: Any, label: str) -> Any:
    """The control bound to the ``<label for>`` whose text starts with ``label``."""
    from selenium.webdriver.common.by import By

    xpath = f"//label[starts-with(normalize-space(), {xpath_text(label)})]"
    found = wait(driver).until(lambda d: d.find_elements(By.XPATH, xpath), f"no label {label!r}")
    target = found[0].get_attribute("for")
    assert target, f"the label {label!r} is not bound to a control"
    return driver.find_element(By.ID, target)


def error_of(driver: Any, control: Any) -> str:
    """The message the control points to with ``aria-describedby`` (its field error)."""
    from selenium.webdriver.common.by import By

    texts = []
    for ref in (control.get_attribute("aria-describedby") or "").split():
        if ref.endswith("-error"):
            texts.append(driver.find_element(By.ID, ref).text.strip())
    return " ".join(t for t in texts if t)


def type_into(control: Any, text: str) -> None:
    """As a keyboard user replaces a field's text: select all, delete, type."""
    from selenium.webdriver.common.keys import Keys

    control.send_keys(Keys.CONTROL, "a")
    control.send_keys(Keys.DELETE)
    control.send_keys(text)


def set_date(driver: Any, control: Any, value: str) -> None:
    """Date and month pickers are locale-dependent to type into: set the value as the picker would."""
    driver.execute_script(
        "const [el, v] = arguments;"
        "const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;"
        "setter.call(el, v); el.dispatchEvent(new Event('input', {bubbles: true}));"
        "el.dispatchEvent(new Event('change', {bubbles: true})); el.dispatchEvent(new Event('blur'));",
        control,
        value,
    )


def choose(control: Any, visible_text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(control).select_by_visible_text(visible_text)


def attachment(driver: Any, label: str) -> Any:
    from selenium.webdriver.common.by import By

    xpath = f"//fieldset[legend[normalize-space()={xpath_text(label)}]]"
    return wait(driver).until(lambda d: d.find_element(By.XPATH, xpath), f"no attachment {label!r}")


def message_box_text(driver: Any) -> str:
    """The text of the toasts (ElMessage) currently shown."""
    from selenium.webdriver.common.by import By

    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".el-message"))


def page_text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "body").text)


# --- every page: accessibility and a screenshot --------------------------------------------------


def check_page(driver: Any, name: str) -> None:
    """axe-core on the page as it is now (no serious or critical violation); the screenshot.

    Toasts (ElMessage) fade in and out: they are audited once gone, not half transparent."""
    from selenium.webdriver.common.by import By

    wait(driver, 15).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".el-message"), "a toast never went away")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    serious = [v for v in result if v["impact"] in {"serious", "critical"}]
    assert not serious, f"{name}: accessibility violations {serious}"
    if SHOTS:
        folder = ROOT / SHOTS
        folder.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(folder / f"{name}.png"))


def fits_the_screen(driver: Any) -> bool:
    return bool(driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest, browser: Any) -> Iterator[None]:
    """When a step fails, the page as it was (its path is printed) says more than a timeout."""
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed > failed:
        path = Path(tempfile.gettempdir()) / f"portal-failure-{request.node.name}.png"
        browser.save_screenshot(str(path))
        print(f"screenshot of the failing page: {path}")


# --- data the journey needs -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def position(stack: Stack) -> dict[str, Any]:
    """A position of its own (other tests may close the seeded ones), published over SigV4."""
    title = f"门户测试见习岗{uuid.uuid4().hex[:6]}"
    response = requests.post(
        f"{stack.base_url}/manage/positions",
        json=position_body(title=title, regionCode="140106", periodMonths=6),
        auth=RequestsSigV4(),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture(scope="module")
def files() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="portal-files-"))
    (folder / "身份证.pdf").write_bytes(pdf("ID card"))
    (folder / "就业创业证.png").write_bytes(png(8, 8))
    (folder / "毕业证书.pdf").write_bytes(pdf("Diploma"))
    (folder / "假的身份证.pdf").write_bytes(png(4, 4))  # named PDF, PNG inside: only the API can tell
    return folder


def graduate_id_number() -> str:
    """A person of their own each run (a 22-year-old: eligible as a college graduate)."""
    today = clock.today()
    birth = date(today.year - 22, 1, 1) + timedelta(days=random.randrange(300))
    return id_number("140105", birth, random.randrange(100), male=True)


def month_before(month: str) -> str:
    year, number = (int(x) for x in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


# --- the journey ------------------------------------------------------------------------------------


def test_a_citizen_does_the_whole_manual_in_the_browser(
    browser: Any, stack: Stack, position: dict[str, Any], files: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    base = stack.base_url
    browser.set_window_size(1280, 800)
    browser.delete_all_cookies()
    today = clock.today()
    this_month = today.strftime("%Y-%m")

    # 图2/图4 首页: 个人用户登录 top right
    browser.get(f"{base}/")
    login = link(browser, "个人用户登录")
    check_page(browser, "01-home")
    login.click()

    # 图3 the unified auth (the development identity provider): log in with one's ID number
    hint = wait(browser).until(ready.element_to_be_clickable((By.NAME, "login_hint")))
    hint.send_keys(graduate_id_number())
    button(browser, "登录").click()

    # 图4 back on 首页 with the name (GET /me) top right
    wait(browser).until(ready.url_to_be(f"{base}/"))
    greeting = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".user-name")))
    assert greeting.text.startswith("您好，"), greeting.text
    assert greeting.text.endswith("测试"), greeting.text  # a generated person
    assert button(browser, "退出登录")
    assert browser.get_cookie("session")["httpOnly"] is True
    assert not browser.execute_script("return Object.keys(localStorage).length + Object.keys(sessionStorage).length")
    check_page(browser, "02-home-logged-in")

    # 图5 个人办事 → 就业创业 → 就业见习人员申请
    link(browser, "个人办事").click()
    button(browser, "就业创业").click()
    check_page(browser, "03-services")
    link(browser, "就业见习人员申请").click()

    # 见习岗位查询 by keyword and region, then choose the position
    type_into(field(browser, "关键字"), position["title"])
    type_into(field(browser, "地区"), "14010")  # five digits: the region rule speaks on its field
    button(browser, "查询").click()
    assert error_of(browser, field(browser, "地区")) == "行政区划代码应为6位数字"
    type_into(field(browser, "地区"), "140106")
    button(browser, "查询").click()
    row_xpath = f"//tr[th[normalize-space()={xpath_text(position['title'])}]]"
    wait(browser).until(
        lambda d: len(d.find_elements(By.XPATH, "//tbody/tr")) == 1 and d.find_elements(By.XPATH, row_xpath),
        "the search did not narrow the list to the one position of that keyword and region",
    )
    check_page(browser, "04-positions")
    button(browser, "选择", within=browser.find_element(By.XPATH, row_xpath)).click()

    # 图6 the form: each rule's message on its field as the citizen types
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), position["unitName"]))
    choose(field(browser, "人员类别"), "离校2年内未就业高校毕业生")
    phone = field(browser, "手机号码")
    type_into(phone, "1234567")
    phone.send_keys("\t")
    assert error_of(browser, phone) == "请输入正确的11位手机号码"
    phone.send_keys("8901")  # still wrong as typed
    assert error_of(browser, phone) == "请输入正确的11位手机号码"
    type_into(phone, "13812345678")
    wait(browser).until(lambda d: error_of(d, phone) == "", "the phone message stayed after a valid number")
    type_into(field(browser, "学历"), "本科")
    type_into(field(browser, "毕业院校"), "山西大学")
    type_into(field(browser, "所学专业"), "软件工程")
    graduation = field(browser, "毕业时间")
    set_date(browser, graduation, f"{today.year - 4}-07")
    assert error_of(browser, graduation) == "离校已超过2年，不符合该人员类别的申请条件"
    set_date(browser, graduation, month_before(this_month))
    assert error_of(browser, graduation) == ""
    region = field(browser, "户籍地行政区划代码")
    type_into(region, "14a105")
    region.send_keys("\t")
    assert error_of(browser, region) == "行政区划代码应为6位数字"
    type_into(region, "140105")
    type_into(field(browser, "联系地址"), "太原市小店区体育路1号")
    type_into(field(browser, "就业创业证编号"), "1401050012345")
    start, end = field(browser, "见习开始日期"), field(browser, "见习结束日期")
    set_date(browser, start, (today - timedelta(days=1)).isoformat())
    assert error_of(browser, start) == "见习开始日期不能早于申报当天"
    set_date(browser, start, clock.add_months(today, 7).isoformat())
    assert error_of(browser, start) == "见习开始日期应在申报之日起6个月内"
    set_date(browser, start, (today + timedelta(days=7)).isoformat())
    set_date(browser, end, (today + timedelta(days=30)).isoformat())
    assert error_of(browser, start) == "见习期限应为3至12个月"
    set_date(browser, end, clock.add_months(today + timedelta(days=7), 6).isoformat())
    assert error_of(browser, start) == ""
    check_page(browser, "05-form")

    # 图7 attachments: 上传 straight to S3 with the presigned POST, then confirm: the bar turns green.
    # First a file only the API can judge (a PNG named .pdf): its 422 lands on that attachment.
    id_card = attachment(browser, "身份证")
    field(browser, "选择身份证文件").send_keys(str(files / "假的身份证.pdf"))
    button(browser, "上传", within=id_card).click()
    wait(browser).until(lambda d: id_card.get_attribute("data-state") == "failed", "the bad file was not refused")
    refused = "文件内容不是有效的PDF文件，请上传与所选类型一致的文件"  # the API's message, on its field
    assert error_of(browser, field(browser, "选择身份证文件")) == refused
    for label, file_name in (("身份证", "身份证.pdf"), ("就业创业证", "就业创业证.png"), ("毕业证书", "毕业证书.pdf")):
        box = attachment(browser, label)
        field(browser, f"选择{label}文件").send_keys(str(files / file_name))
        button(browser, "上传", within=box).click()
        wait(browser).until(lambda d, box=box: box.get_attribute("data-state") == "done", f"{label} never turned green")
        bar = box.find_element(By.CSS_SELECTOR, ".el-progress")
        assert "is-success" in bar.get_attribute("class"), f"{label}: the bar is not green"
        assert f"已上传：{file_name}" in box.text
    assert error_of(browser, field(browser, "选择身份证文件")) == ""
    check_page(browser, "06-attachments")

    # 图8/图9 提交 → 申报成功 with the reference number
    button(browser, "提交").click()
    dialog = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "[role=dialog]")))
    wait(browser).until(lambda d: "申报成功" in dialog.text and re.search(r"JX\d{14}", dialog.text), "no 申报成功")
    reference = re.search(r"JX\d{14}", dialog.text).group(0)  # type: ignore[union-attr]
    check_page(browser, "07-submitted")

    # 图10 个人中心 → 未审核 shows it
    button(browser, "查看未审核").click()
    wait(browser).until(ready.url_to_be(f"{base}/center"))
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), reference))
    assert "未审核" in browser.find_element(By.XPATH, f"//tr[@data-reference='{reference}']").text
    check_page(browser, "08-pending")

    # 图11 我的办件: 审核状态 and 申办月份 filter the cases
    link(browser, "我的办件").click()
    case_row = f"//tr[@data-reference='{reference}']"
    wait(browser).until(ready.visibility_of_element_located((By.XPATH, case_row)))
    choose(field(browser, "审核状态"), "审核通过")
    wait(browser).until(ready.invisibility_of_element_located((By.XPATH, case_row)), "the 审核通过 filter kept it")
    choose(field(browser, "审核状态"), "未审核")
    set_date(browser, field(browser, "申办月份"), month_before(this_month))
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "没有符合条件的办件"))
    set_date(browser, field(browser, "申办月份"), this_month)
    wait(browser).until(ready.visibility_of_element_located((By.XPATH, case_row)), "the month filter lost it")
    assert "status=PENDING" in browser.current_url
    assert f"month={this_month}" in browser.current_url
    check_page(browser, "09-cases")

    # A case: its form, attachments (download) and history
    browser.find_element(By.XPATH, f"{case_row}//a[normalize-space()='查看']").click()
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "办理记录"))
    main = browser.find_element(By.TAG_NAME, "main")
    wait(browser).until(lambda d: "下载 身份证.pdf" in main.text, "no attachment links")
    for shown in ("13812345678", "山西大学", "提交申报"):
        assert shown in main.text
    download = browser.find_element(By.XPATH, "//a[normalize-space()='下载 身份证.pdf']").get_attribute("href")
    assert requests.get(download, timeout=30).content == (files / "身份证.pdf").read_bytes()
    check_page(browser, "10-case")

    # 图12/图13 撤回 asks for confirmation; 确认 withdraws
    button(browser, "撤回").click()
    box = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".el-message-box")))
    assert reference in box.text
    check_page(browser, "11-withdraw-confirm")
    button(browser, "确认", within=box).click()
    wait(browser).until(ready.text_to_be_present_in_element((By.CSS_SELECTOR, ".status"), "已撤回"))

    # 图14 重新申报: the form pre-filled from the withdrawn one, attachments included (copyFrom)
    button(browser, "重新申报").click()
    wait(browser).until(lambda d: field(d, "手机号码").get_attribute("value") == "13812345678", "not pre-filled")
    assert field(browser, "毕业院校").get_attribute("value") == "山西大学"
    for label in ("身份证", "就业创业证", "毕业证书"):
        box = attachment(browser, label)
        assert box.get_attribute("data-state") == "done", f"{label} not carried over"
    check_page(browser, "12-reapply")
    button(browser, "提交").click()
    dialog = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "[role=dialog]")))
    wait(browser).until(lambda d: "申报成功" in dialog.text and re.search(r"JX\d{14}", dialog.text), "re-apply failed")
    assert reference not in dialog.text

    # A 409 (a second active application) is a clear Chinese message, never a blank page
    browser.get(f"{base}/center/cases?status=WITHDRAWN")
    withdrawn = f"//tr[@data-reference='{reference}']"
    wait(browser).until(ready.visibility_of_element_located((By.XPATH, withdrawn)))
    browser.find_element(By.XPATH, f"{withdrawn}//a[normalize-space()='查看']").click()
    button(browser, "重新申报").click()
    wait(browser).until(lambda d: attachment(d, "身份证").get_attribute("data-state") == "done")
    button(browser, "提交").click()
    wait(browser).until(lambda d: "不能重复申报" in message_box_text(d), "no message for the 409")
    assert "就业见习人员申请" in page_text(browser)

    # 退出登录: back to 个人用户登录, the session gone
    button(browser, "退出登录").click()
    link(browser, "个人用户登录")
    status = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/me', {credentials: 'same-origin'}).then(r => done(r.status));"
    )
    assert status == 401

    # A page that needs a login sends the citizen to log in (401 → login)
    browser.get(f"{base}/center/cases")
    wait(browser).until(lambda d: "/dev/sso/authorize" in d.current_url, "not sent to log in")


def test_the_portal_fits_a_phone_and_works_by_keyboard(browser: Any, stack: Stack, position: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready

    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    try:
        # On a phone-sized screen the home page needs no sideways scrolling
        browser.get(f"{stack.base_url}/")
        link(browser, "个人用户登录")
        assert fits_the_screen(browser)
        check_page(browser, "13-phone-home")

        # By keyboard alone: the skip link comes first, then the login link is reachable with Tab
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert browser.switch_to.active_element.text == "跳到主要内容"
        reached = []
        for _ in range(6):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            reached.append(browser.switch_to.active_element.text)
            if reached[-1] == "个人用户登录":
                break
        assert "个人用户登录" in reached, reached
        browser.switch_to.active_element.send_keys(Keys.ENTER)
        hint = wait(browser).until(ready.element_to_be_clickable((By.NAME, "login_hint")))
        hint.send_keys(graduate_id_number(), Keys.ENTER)
        wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".user-name")))

        # The positions and the form fit the phone too (wide tables scroll inside their own region)
        browser.get(f"{stack.base_url}/services/internship")
        wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "tbody tr")))
        assert fits_the_screen(browser)
        browser.get(f"{stack.base_url}/services/internship/apply/{position['positionId']}")
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), position["title"]))
        assert fits_the_screen(browser)
        # and the form's first control is reached by keyboard from its label's page order
        category = field(browser, "人员类别")
        category.send_keys(Keys.TAB)
        assert browser.switch_to.active_element == field(browser, "手机号码")
        check_page(browser, "14-phone-form")
    finally:
        browser.set_window_size(1280, 800)
