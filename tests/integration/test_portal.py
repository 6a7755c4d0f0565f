"""The citizen portal (SPEC §5a) in a real browser, phone first: the whole journey as a citizen on a
390×844 screen does it, against the local run's real API, S3 (moto) and development identity provider,
and every screen again at 1366×900 (the same browser, resized).

On every screen, at both sizes: no sideways scrolling (the page is never wider than the window),
axe-core finds no violation of impact moderate or worse, and nothing a citizen reads is English
(no run of four Latin letters in the visible text or the accessible names, except the file names
the citizen chose and the formats PDF/JPG/PNG).

Controls are found the way assistive technology finds them: inputs by the text of their bound
``<label for>``, buttons and links by what they read (上传, 下一步, 提交, 撤回, 确认, 重新申报, 退出登录).
``PORTAL_SCREENSHOTS=<dir>`` (``make screenshots``) saves a PNG of each screen at 390×844 (and with
``PORTAL_DESKTOP_SCREENSHOTS=<dir>`` at 1366×900); the README shows them.

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
from urllib.parse import unquote

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
DESKTOP_SHOTS = os.environ.get("PORTAL_DESKTOP_SCREENSHOTS")
WAIT = 60  # generous: how long a step may take before the test says what did not happen
PHONE, DESKTOP = (390, 844), (1366, 900)
FILE_NAMES = ("身份证.pdf", "就业创业证.png", "毕业证书.pdf", "假的身份证.pdf")

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


def link(driver: Any, text: str, within: Any = None) -> Any:
    """The visible link that reads ``text`` (hidden words included), or else one that starts with it
    (a tile: its name, then what it is for)."""
    from selenium.webdriver.common.by import By

    root = within or driver
    exact = f".//a[normalize-space()={xpath_text(text)}]"
    starting = f".//a[starts-with(normalize-space(), {xpath_text(text)})]"

    def find(_: Any) -> Any:
        for xpath in (exact, starting):
            shown = [e for e in root.find_elements(By.XPATH, xpath) if e.is_displayed()]
            if shown:
                return shown[0]
        return False

    return wait(driver).until(find, f"no link reading {text!r}")


def field(driver: Any, label: str) -> Any:
    """The control bound to the visible ``<label for>`` whose text starts with ``label``."""
    from selenium.webdriver.common.by import By

    xpath = f"//label[starts-with(normalize-space(), {xpath_text(label)})]"

    def find(d: Any) -> Any:
        return next((e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()), False)

    found = wait(driver).until(find, f"no label {label!r}")
    target = found.get_attribute("for")
    assert target, f"the label {label!r} is not bound to a control"
    return driver.find_element(By.ID, target)


def has_field(driver: Any, label: str) -> bool:
    from selenium.webdriver.common.by import By

    xpath = f"//label[starts-with(normalize-space(), {xpath_text(label)})]"
    return any(e.is_displayed() for e in driver.find_elements(By.XPATH, xpath))


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


def pick_date(driver: Any, label: str, value: str) -> Any:
    """Type a date (YYYY-MM-DD) or month (YYYY-MM) into Element Plus's picker as a keyboard user
    does, and Enter: the picker shows it as 年月日."""
    from selenium.webdriver.common.keys import Keys

    control = field(driver, label)
    control.click()
    type_into(control, value)
    control.send_keys(Keys.ENTER)
    shown = value.replace("-", "年", 1).replace("-", "月", 1) + ("日" if len(value) == 10 else "月")
    wait(driver, 10).until(lambda d: control.get_attribute("value") == shown, f"{label} does not show {shown}")
    control.send_keys(Keys.ESCAPE)
    return control


def choose(control: Any, visible_text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(control).select_by_visible_text(visible_text)


def attachment(driver: Any, label: str) -> Any:
    from selenium.webdriver.common.by import By

    xpath = f"//fieldset[legend[normalize-space()={xpath_text(label)}]]"
    return wait(driver).until(lambda d: d.find_element(By.XPATH, xpath), f"no attachment {label!r}")


def upload(driver: Any, label: str, path: Path) -> Any:
    """选择文件 (Element Plus's chooser, a button reading 选择…文件), then 上传."""
    from selenium.webdriver.common.by import By

    box = attachment(driver, label)
    chooser = box.find_element(By.XPATH, f".//*[@role='button'][normalize-space()={xpath_text(f'选择{label}文件')}]")
    chooser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    wait(driver, 10).until(lambda d: f"已选择：{path.name}" in box.text, f"{label}: the chosen file is not named")
    button(driver, "上传", within=box).click()
    return box


def main_text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "main").text)


def active_id(driver: Any) -> str:
    return str(driver.execute_script("return document.activeElement && document.activeElement.id"))


# --- every screen, at both sizes ----------------------------------------------------------------

AXE_RUN = (
    "const done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',"
    " 'best-practice']}, resultTypes: ['violations']})"
    ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
    " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
    ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
)
# What a citizen reads: the visible text, and the names a screen reader speaks.
READ_TEXT = """
const names = [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')]
  .filter(e => e.getClientRects().length)
  .flatMap(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''));
return [document.body.innerText, ...names].join('\\n');
"""


def english_in(text: str, allowed: tuple[str, ...]) -> list[str]:
    for word in (*allowed, "PDF", "JPG", "PNG"):
        text = text.replace(word, " ")
    return re.findall(r"[A-Za-z]{4,}", text)


class Screens:
    """Checks each screen at 390×844 (where the journey is walked) and again at 1366×900."""

    def __init__(self, driver: Any, allowed: tuple[str, ...]) -> None:
        self.driver = driver
        self.allowed = allowed
        self.checked: list[str] = []

    def check(self, name: str, show: str | None = None) -> None:
        """Judge the screen at both sizes; ``show`` (a CSS selector) is what its screenshot scrolls to."""
        from selenium.webdriver.common.by import By

        driver = self.driver
        # Toasts (ElMessage) fade in and out: the page is judged once they are gone.
        wait(driver, 15).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".el-message"), "a toast never went away")
        for size, folder in ((DESKTOP, DESKTOP_SHOTS), (PHONE, SHOTS)):
            self._judge(name, size)
            if folder:
                if show:
                    driver.execute_script(
                        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'}); scrollBy(0, -10)", show
                    )
                (ROOT / folder).mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(ROOT / folder / f"{name}.png"))
            if size == DESKTOP:
                driver.set_window_size(*PHONE)
        self.checked.append(name)

    def _judge(self, name: str, size: tuple[int, int]) -> None:
        driver = self.driver
        if tuple(driver.get_window_size().values()) != size:
            driver.set_window_size(*size)
        wait(driver, 10).until(lambda d: d.execute_script("return window.innerWidth") <= size[0], "no resize")
        where = f"{name} at {size[0]}×{size[1]}"
        widths = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{where}: the page scrolls sideways ({widths[0]} px on {widths[1]} px)"
        driver.execute_script(AXE.read_text(encoding="utf-8"))
        violations = driver.execute_async_script(AXE_RUN)
        bad = [v for v in violations if v["impact"] in {"moderate", "serious", "critical"}]
        assert not bad, f"{where}: accessibility violations {bad}"
        english = english_in(driver.execute_script(READ_TEXT), self.allowed)
        assert not english, f"{where}: English a citizen reads: {sorted(set(english))}"


# --- data the journey needs -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def position(stack: Stack) -> dict[str, Any]:
    """A position of its own in 太原市迎泽区 (other tests may close the seeded ones), published over SigV4."""
    title = f"门户测试见习岗{uuid.uuid4().hex[:6]}"
    response = requests.post(
        f"{stack.base_url}/manage/positions",
        json=position_body(title=title, regionCode="140106", periodMonths=6, headcount=3),
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


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest, browser: Any) -> Iterator[None]:
    """When a step fails, the page as it was (its path is printed) says more than a timeout."""
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed > failed:
        path = Path(tempfile.gettempdir()) / f"portal-failure-{request.node.name}.png"
        browser.save_screenshot(str(path))
        print(f"screenshot of the failing page: {path}")


def graduate_id_number() -> str:
    """A person of their own each run (a 22-year-old: eligible as a college graduate)."""
    today = clock.today()
    birth = date(today.year - 22, 1, 1) + timedelta(days=random.randrange(300))
    return id_number("140105", birth, random.randrange(100), male=True)


def decide(stack: Stack, application_id: str, decision: str, reason: str) -> None:
    """The bureau decides over SigV4, as a back-office tool does."""
    answer = requests.post(
        f"{stack.base_url}/review/applications/{application_id}/decision",
        json={"decision": decision, "reason": reason},
        auth=RequestsSigV4(),
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def chinese_date(iso: str) -> str:
    """2027-01-06 as the portal shows dates: 2027年01月06日."""
    year, month, day = iso.split("-")
    return f"{year}年{month}月{day}日"


def offline(driver: Any, off: bool) -> None:
    """The phone loses (or finds again) its connection."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


# --- the journey ------------------------------------------------------------------------------------


def test_a_citizen_finishes_on_a_phone(browser: Any, stack: Stack, position: dict[str, Any], files: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready

    base = stack.base_url
    today = clock.today()
    screens = Screens(browser, FILE_NAMES)
    browser.delete_all_cookies()
    browser.set_window_size(*PHONE)
    try:
        # 首页, not logged in; the skip link comes first for a keyboard; a favicon, not a 404
        browser.get(f"{base}/")
        link(browser, "个人用户登录")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert browser.switch_to.active_element.text == "跳到主要内容"
        icon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
        assert requests.get(icon, timeout=30).status_code == 200
        screens.check("01-home")

        # 见习岗位查询 without logging in: by keyword and by region NAMES (市 → 县区)
        link(browser, "见习岗位查询").click()
        type_into(field(browser, "关键字"), position["title"])
        choose(field(browser, "市"), "太原市")
        choose(field(browser, "县（市、区）"), "迎泽区")
        button(browser, "查询").click()
        card = f"//li[@data-position='{position['positionId']}']"
        wait(browser).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "li.card")) == 1 and d.find_elements(By.XPATH, card),
            "the search did not narrow the list to the one position of that keyword in 太原市迎泽区",
        )
        assert "太原市迎泽区" in browser.find_element(By.XPATH, card).text
        assert "剩余名额" in browser.find_element(By.XPATH, card).text
        assert "region=" in browser.current_url  # the search lives in the URL
        screens.check("02-positions", show="#search-title")

        # A failed search (the phone loses its signal) says so and leaves no stale results
        offline(browser, True)
        button(browser, "查询").click()
        wait(browser).until(
            lambda d: "查询失败" in main_text(d) or "网络连接失败" in main_text(d), "no word of the failure"
        )
        assert not browser.find_elements(By.CSS_SELECTOR, "li.card"), "the old results stayed under the error"
        offline(browser, False)
        button(browser, "查询").click()
        wait(browser).until(ready.visibility_of_element_located((By.XPATH, card)))

        # A position's detail: unit, address, requirements, allowance, period, places left, deadline, contact
        link(browser, "查看详情", within=browser.find_element(By.XPATH, card)).click()
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "工作地址"))
        text = main_text(browser)
        facts = (position["unitName"], position["address"], position["contactPhone"], position["description"])
        for shown in (*facts, "3人（共招收3人）", chinese_date(position["deadline"]), "太原市迎泽区", "1800元"):
            assert shown in text, f"the detail page does not show {shown!r}"
        screens.check("03-position")

        # 申请该岗位: only now the unified auth (the development identity provider), then straight back
        button(browser, "申请该岗位").click()
        hint = wait(browser).until(ready.element_to_be_clickable((By.NAME, "login_hint")))
        hint.send_keys(graduate_id_number())
        button(browser, "登录").click()
        wait(browser).until(ready.url_contains(f"/services/internship/apply/{position['positionId']}"))
        greeting = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".user-name")))
        assert greeting.text.startswith("您好，"), greeting.text
        assert greeting.text.endswith("测试"), greeting.text  # a generated person
        name = greeting.text.removeprefix("您好，")
        screens.allowed = (*FILE_NAMES, name)

        # The form, first sitting: the category decides which fields show
        category = field(browser, "人员类别")
        assert category.get_attribute("aria-required") == "true"
        choose(category, "16-24岁失业青年")
        wait(browser).until(lambda d: not has_field(d, "毕业院校"), "a 失业青年 is still asked for a school")
        assert not has_field(browser, "所学专业")
        assert not has_field(browser, "毕业时间")
        choose(category, "离校2年内未就业高校毕业生")
        phone = field(browser, "手机号码")
        type_into(phone, "1234567")
        phone.send_keys(Keys.TAB)
        assert error_of(browser, phone) == "请输入正确的11位手机号码"
        assert phone.get_attribute("aria-invalid") == "true"
        type_into(phone, "13812345678")
        type_into(field(browser, "学历"), "本科")
        type_into(field(browser, "毕业院校"), "山西大学")
        type_into(field(browser, "所学专业"), "软件工程")
        state = browser.find_element(By.CSS_SELECTOR, "[data-draft]")
        wait(browser).until(lambda d: "草稿已自动保存" in state.text, "the draft was never saved")
        screens.check("04-form", show="#person-title")

        # Second sitting: a reload offers the draft back (kept by the API, nothing in the browser)
        browser.refresh()
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "您有一份未提交的申请草稿"))
        assert not browser.execute_script("return localStorage.length + sessionStorage.length")
        screens.check("05-draft")
        button(browser, "继续填写").click()
        wait(browser).until(
            lambda d: field(d, "手机号码").get_attribute("value") == "13812345678", "the draft came back empty"
        )
        assert field(browser, "毕业院校").get_attribute("value") == "山西大学"
        assert field(browser, "人员类别").get_attribute("value") == "COLLEGE_GRADUATE"

        # The rest, with the period too short: the 3-12-month message sits on 见习结束日期
        pick_date(browser, "毕业时间", f"{today.year - 1}-07")
        choose(field(browser, "市"), "太原市")
        choose(field(browser, "县（市、区）"), "小店区")
        type_into(field(browser, "联系地址"), "太原市小店区体育路1号")
        type_into(field(browser, "就业创业证编号"), "1401050012345")
        start = today + timedelta(days=7)
        pick_date(browser, "见习开始日期", start.isoformat())
        end = pick_date(browser, "见习结束日期", (start + timedelta(days=30)).isoformat())
        assert error_of(browser, end) == "见习期限应为3至12个月"
        assert error_of(browser, field(browser, "见习开始日期")) == ""

        # 下一步 with that and no attachments: the error summary, focused, links to each field
        button(browser, "下一步").click()
        summary = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))
        wait(browser).until(lambda d: d.switch_to.active_element == summary, "the summary did not take the focus")
        links = [a.text for a in summary.find_elements(By.TAG_NAME, "a")]
        assert links == ["见习期限应为3至12个月", "请上传身份证", "请上传就业创业证", "请上传毕业证书"], links
        screens.check("06-error-summary")
        link(browser, "见习期限应为3至12个月", within=summary).click()
        assert active_id(browser) == "f-endDate", "the summary's link did not move focus to 见习结束日期"
        pick_date(browser, "见习结束日期", clock.add_months(start, 6).isoformat())
        assert error_of(browser, end) == ""

        # Attachments: a file only the API can judge (a PNG named .pdf) gets its 422 on that attachment;
        # then each one straight to S3 with the presigned POST, confirmed: the bar turns green
        id_card = upload(browser, "身份证", files / "假的身份证.pdf")
        wait(browser).until(lambda d: id_card.get_attribute("data-state") == "failed", "the bad file was not refused")
        assert "文件内容不是有效的PDF文件" in id_card.text
        for label, file_name in (
            ("身份证", "身份证.pdf"),
            ("就业创业证", "就业创业证.png"),
            ("毕业证书", "毕业证书.pdf"),
        ):
            box = upload(browser, label, files / file_name)
            wait(browser).until(
                lambda d, box=box: box.get_attribute("data-state") == "done", f"{label} never turned green"
            )
            assert "is-success" in box.find_element(By.CSS_SELECTOR, ".el-progress").get_attribute("class")
            assert f"已上传：{file_name}" in box.text
        wait(browser).until(
            lambda d: not d.find_elements(By.CSS_SELECTOR, ".error-summary"), "the summary outlived its problems"
        )
        screens.check("07-attachments", show="#files-title")

        # 核对信息: everything about to be sent, region by name; 修改 goes to the field and comes back
        button(browser, "下一步").click()
        wait(browser).until(ready.url_contains("/check"))
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "太原市小店区"))
        rows = {e.get_attribute("data-field"): e.text for e in browser.find_elements(By.CSS_SELECTOR, "[data-field]")}
        assert "13812345678" in rows["phone"], rows
        assert "太原市小店区" in rows["householdRegionCode"], rows
        assert "已上传：毕业证书.pdf" in main_text(browser)
        screens.check("08-check", show="#check-person")
        link(browser, "修改手机号码").click()
        wait(browser).until(lambda d: active_id(d) == "f-phone", "修改 did not lead to 手机号码")
        type_into(field(browser, "手机号码"), "13912345678")
        button(browser, "保存并返回核对信息").click()
        wait(browser).until(ready.url_contains("/check"))
        wait(browser).until(ready.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-field=phone]"), "13912345678"))

        # 提交 → the confirmation page: 申报成功 once, the reference number, what happens next
        button(browser, "提交").click()
        wait(browser).until(ready.url_contains("/services/internship/submitted/"))
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "接下来"))
        text = main_text(browser)
        assert text.count("申报成功") == 1, text
        first_reference = re.search(r"JX\d{14}", text).group(0)  # type: ignore[union-attr]
        assert "请保存" in text
        screens.check("09-submitted")

        # The case: 未审核, its attachments downloadable under their own names
        link(browser, "查看本申请").click()
        wait(browser).until(lambda d: "下载 身份证.pdf" in main_text(d), "no attachment links")
        application_id = browser.current_url.rstrip("/").rsplit("/", 1)[-1]
        download = link(browser, "下载 身份证.pdf")
        assert download.get_attribute("download") == "身份证.pdf"
        got = requests.get(download.get_attribute("href"), timeout=30)
        assert got.content == (files / "身份证.pdf").read_bytes()
        assert "身份证.pdf" in unquote(got.headers.get("Content-Disposition", "")), got.headers
        assert "未审核" in main_text(browser)
        screens.check("10-case", show="#case-title")

        # 我的办件 on a phone: one card per case, nothing off screen
        link(browser, "我的办件").click()
        row = f"//tr[@data-reference='{first_reference}']"
        wait(browser).until(ready.visibility_of_element_located((By.XPATH, row)))
        assert browser.find_element(By.XPATH, row).value_of_css_property("display") == "block"  # a card
        screens.check("11-cases", show="#cases-title")

        # The bureau rejects it (SigV4); the case says why and offers 重新申报
        decide(stack, application_id, "REJECTED", "毕业证书照片不清晰，请重新上传")
        browser.get(f"{base}/center/cases/{application_id}")
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "毕业证书照片不清晰"))
        assert "审核不通过" in main_text(browser)
        screens.check("12-rejected", show="#case-title")

        # 重新申报 from the rejected case: pre-filled, its attachments reused, to 申报成功 again
        button(browser, "重新申报").click()
        wait(browser).until(
            lambda d: has_field(d, "手机号码") and field(d, "手机号码").get_attribute("value") == "13912345678"
        )
        for label in ("身份证", "就业创业证", "毕业证书"):
            assert attachment(browser, label).get_attribute("data-state") == "done", f"{label} not carried over"
        screens.check("13-reapply")
        pick_date(browser, "见习开始日期", (today + timedelta(days=14)).isoformat())
        pick_date(browser, "见习结束日期", clock.add_months(today + timedelta(days=14), 4).isoformat())
        button(browser, "下一步").click()
        wait(browser).until(ready.url_contains("/check"))
        button(browser, "提交").click()
        wait(browser).until(ready.url_contains("/services/internship/submitted/"))
        wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "接下来"))
        second_reference = re.search(r"JX\d{14}", main_text(browser)).group(0)  # type: ignore[union-attr]
        assert second_reference != first_reference

        # A third try is announced BEFORE the form, with a link to the active application
        browser.get(f"{base}/services/internship/positions/{position['positionId']}")
        button(browser, "申请该岗位").click()
        notice = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "[data-notice=active]")))
        assert second_reference in notice.text
        assert not has_field(browser, "手机号码"), "the form is offered although it cannot be submitted"
        assert link(browser, "查看该申请", within=notice)
        screens.check("14-active")

        # 撤回 under the 未审核 filter: confirmed first; the row stays, 已撤回, and the page says what happened
        browser.get(f"{base}/center/cases?status=PENDING")
        row = f"//tr[@data-reference='{second_reference}']"
        wait(browser).until(ready.visibility_of_element_located((By.XPATH, row)))
        button(browser, "撤回", within=browser.find_element(By.XPATH, row)).click()
        box = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".el-message-box")))
        assert second_reference in box.text
        screens.check("15-withdraw-confirm")
        button(browser, "确认", within=box).click()
        notice = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, "[data-notice=withdrawn]")))
        assert second_reference in notice.text
        assert "已撤回" in notice.text
        assert "已撤回" in browser.find_element(By.XPATH, row).text
        assert button(browser, "重新申报", within=browser.find_element(By.XPATH, row))
        screens.check("16-withdrawn", show="#cases-title")

        # 退出登录: back to 个人用户登录, the session gone
        button(browser, "退出登录").click()
        link(browser, "个人用户登录")
        status = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch('/me', {credentials: 'same-origin'}).then(r => done(r.status));"
        )
        assert status == 401
        browser.get(f"{base}/center/cases")
        wait(browser).until(
            lambda d: "/dev/sso/authorize" in d.current_url, "a page that needs a login did not ask for one"
        )
    finally:
        offline(browser, False)
        browser.set_window_size(1280, 800)
