"""The pages a person sees, in a real browser (headless Chromium): the API documentation, and
logging in by clicking a demo person on the development identity provider's page.

Chromium and its driver come from Debian's packages (``.ci/run`` installs them). Without either, these
tests are skipped, naming what is missing.
"""

from __future__ import annotations

import json
from typing import Any

from tests.integration.conftest import missing_browser


def test_the_skip_names_exactly_what_is_missing() -> None:
    assert missing_browser("/usr/bin/chromium", None) == (
        "chromedriver not found on PATH (Debian: apt-get install chromium-driver)"
    )
    assert (
        missing_browser(None, "/usr/bin/chromedriver")
        == "chromium not found on PATH (Debian: apt-get install chromium)"
    )
    assert missing_browser(None, None) == (
        "chromium and chromedriver not found on PATH (Debian: apt-get install chromium chromium-driver)"
    )
    assert missing_browser("/usr/bin/chromium", "/usr/bin/chromedriver") is None


def _wait(driver: Any, seconds: float = 60) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds)


def test_the_api_documentation_renders_offline(browser: Any, stack: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    # When a developer opens /docs
    browser.get(f"{stack.base_url}/docs")

    # Then Swagger UI (served by the local run itself, no CDN) shows the API and its operations
    _wait(browser).until(ready.text_to_be_present_in_element((By.CSS_SELECTOR, ".info .title"), "就业见习人员申请"))
    _wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    paths = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/applications", "/positions", "/review/applications/{applicationId}/decision"} <= paths


def test_a_citizen_logs_in_by_clicking_their_name_and_out_again(browser: Any, stack: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    # Given the portal sends the citizen to log in, coming back to /me
    browser.delete_all_cookies()
    browser.get(f"{stack.base_url}/auth/login?redirect=/me")

    # When they click their name on the identity provider's page
    _wait(browser).until(ready.element_to_be_clickable((By.PARTIAL_LINK_TEXT, "张晓明"))).click()

    # Then they land on /me, logged in, with their ID number masked
    _wait(browser).until(ready.url_to_be(f"{stack.base_url}/me"))
    profile = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert profile["name"] == "张晓明"
    assert "*" in profile["idNumberMasked"]
    cookie = browser.get_cookie("session")
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"

    # And logging out from the page (a same-origin POST, passing the CSRF check) ends the session
    status = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/auth/logout', {method: 'POST', credentials: 'same-origin'}).then(r => done(r.status));"
    )
    assert status == 204
    browser.get(f"{stack.base_url}/me")
    assert json.loads(browser.find_element(By.TAG_NAME, "body").text)["code"] == "UNAUTHENTICATED"
