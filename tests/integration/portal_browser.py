"""What the portal's browser tests share (test_portal.py: the citizen; test_portal_unit.py: the host
unit; test_forms_portal.py): controls found as assistive technology finds them (inputs by the text of
their bound ``<label for>``, buttons and links by what they read), and ``Screens``, which judges every
screen at 390×844 and 1366×900: no sideways scrolling, no axe-core violation of impact moderate or
worse, no English a user reads. ``PORTAL_SCREENSHOTS=<dir>`` (``make screenshots``) saves a PNG of each
screen at 390×844 (and ``PORTAL_DESKTOP_SCREENSHOTS=<dir>`` at 1366×900).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localrun.portal import PORTAL_DIST
from tests.integration.conftest import CHROMEDRIVER, CHROMIUM, ROOT

AXE = ROOT / "portal" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")
DESKTOP_SHOTS = os.environ.get("PORTAL_DESKTOP_SCREENSHOTS")
WAIT = 60  # generous: how long a step may take before the test says what did not happen
PHONE, DESKTOP = (390, 844), (1366, 900)

# A browser test module's marks: skipped, saying why, without Chromium, the built portal or axe-core.
PORTAL_MARKS = [
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


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest, browser: Any) -> Iterator[None]:
    """When a step fails, the page as it was (its path is printed) says more than a timeout."""
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed > failed:
        path = Path(tempfile.gettempdir()) / f"portal-failure-{request.node.name}.png"
        browser.save_screenshot(str(path))
        print(f"screenshot of the failing page: {path}")
