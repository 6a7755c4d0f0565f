"""The host unit's portal (issue 26, SPEC §5a 单位登录 → 单位中心) in a real browser, phone first: a unit
logs in with 单位登录 (the development IdP's 法人登录), adds a position and sees 待审核; the 太原 bureau
approves it over SigV4; it appears in the public 见习岗位查询; a citizen applies (over the API: the
citizen's own browser journey is test_portal.py's); the unit sees the applicant under 申请人员, masked;
an edit that raced another one is explained and taken again; the position is closed after a
confirmation. On the way: a unit is not offered the citizen's pages, and nobody reaches the 单位中心
without 单位登录.

Every unit screen is judged at 390×844 and 1366×900 (``portal_browser.Screens``: no sideways
scrolling, no axe-core violation of impact moderate or worse, no English a user reads besides what
the unit typed). ``PORTAL_SCREENSHOTS=<dir>`` (``make screenshots``) saves each screen as ``unit-*.png``.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import requests

from internship import clock
from localrun.sigv4 import RequestsSigV4
from tests.integration.conftest import Stack, log_in
from tests.integration.portal_browser import (
    PHONE,
    PORTAL_MARKS,
    Screens,
    button,
    choose,
    error_of,
    field,
    link,
    main_text,
    pick_date,
    screenshot_on_failure,  # noqa: F401 - the autouse fixture, for this module
    type_into,
    wait,
)
from tests.integration.test_applications_races import CSRF, application_form, fresh_id_number, upload_confirmed
from tests.integration.test_unit_journey import demo_unit, unit_login

pytestmark = PORTAL_MARKS
TAIYUAN = RequestsSigV4("taiyuan")


def card_of(driver: Any, position_id: str) -> Any:
    from selenium.webdriver.common.by import By

    xpath = f"//li[@data-position='{position_id}']"
    return wait(driver).until(lambda d: d.find_element(By.XPATH, xpath), f"no card of position {position_id}")


def status_of(driver: Any, position_id: str) -> str:
    return str(card_of(driver, position_id).get_attribute("data-status"))


def test_a_unit_publishes_a_position_and_sees_who_applied(browser: Any, stack: Stack) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready

    base = stack.base_url
    unit = demo_unit(stack, "1401")
    title = f"单位门户见习岗{random.randrange(10**6):06d}"
    typed = (title, title + "（修订）")
    screens = Screens(browser, typed)
    browser.delete_all_cookies()
    browser.set_window_size(*PHONE)

    # Nobody logged in: the 单位中心 sends to 单位登录 (the IdP's 法人登录), not to the citizen's login
    browser.get(f"{base}/org/applications")
    wait(browser).until(lambda d: d.find_elements(By.NAME, "login_hint"), "the 单位中心 did not ask for a login")
    assert "login_type=unit" in browser.current_url

    # 首页: 单位登录 top right, beside 个人用户登录; the IdP's 法人登录; back in the 单位中心
    browser.get(f"{base}/")
    header = browser.find_element(By.CSS_SELECTOR, ".header-actions")
    link(browser, "个人用户登录", within=header)
    link(browser, "单位登录", within=header).click()
    hint = wait(browser).until(ready.element_to_be_clickable((By.NAME, "login_hint")))
    assert "法人登录" in browser.find_element(By.TAG_NAME, "strong").text
    hint.send_keys(unit["unitCreditCode"])
    button(browser, "登录").click()
    wait(browser).until(ready.url_contains("/org/positions"))
    who = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".header-actions .user-name")))
    assert unit["name"] in who.text, who.text
    assert f"经办人：{unit['operatorName']}" in who.text, who.text
    wait(browser).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "li.card"), "the demo unit's positions are not listed"
    )
    menu = browser.find_element(By.CSS_SELECTOR, "nav.menu").text
    assert "单位中心" in menu, menu
    assert "个人中心" not in menu, menu
    screens.check("unit-01-positions")

    # A unit is not offered the citizen's pages: 个人中心 leads back to its own 我的岗位
    browser.get(f"{base}/center/cases")
    wait(browser).until(ready.url_contains("/org/positions"))

    # 新增岗位: each rule's message on its field as the unit types, then the summary on 提交审核
    link(browser, "新增岗位").click()
    headcount = field(browser, "招募人数")
    assert headcount.get_attribute("aria-required") == "true"
    type_into(headcount, "0")
    headcount.send_keys(Keys.TAB)
    assert error_of(browser, headcount) == "招募人数至少为1人"
    assert headcount.get_attribute("aria-invalid") == "true"
    button(browser, "提交审核").send_keys(Keys.ENTER)  # from the keyboard
    summary = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "岗位名称：内容不能为空" in summary.text
    assert "岗位所在地：请选择岗位所在的县（市、区）" in summary.text
    assert browser.switch_to.active_element == summary  # focus on the summary, read first
    screens.check("unit-02-new-position-errors", show=".error-summary")

    type_into(field(browser, "岗位名称"), title)
    choose(field(browser, "市"), "太原市")
    choose(field(browser, "县（市、区）"), "小店区")
    type_into(field(browser, "见习地点"), "太原市小店区长治路227号")
    type_into(field(browser, "学历要求"), "大专及以上")
    type_into(field(browser, "专业要求"), "计算机类")
    type_into(headcount, "2")
    type_into(field(browser, "每月见习补贴"), "2200")
    type_into(field(browser, "见习期限"), "6")
    type_into(field(browser, "联系人"), "张经理")
    type_into(field(browser, "联系电话"), "0351-7021688")
    type_into(field(browser, "岗位描述"), "协助开发和测试。")
    deadline = (clock.today() + timedelta(days=20)).isoformat()
    pick_date(browser, "报名截止日期", deadline)
    wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".error-summary"), "the summary stayed")
    button(browser, "提交审核").click()

    # 待审核 in 我的岗位, not (yet) in the catalogue
    wait(browser).until(ready.url_contains("/org/positions"))
    xpath = f"//li[contains(@class, 'card')][.//h2[normalize-space()='{title}']]"
    card = wait(browser).until(lambda d: d.find_element(By.XPATH, xpath), "the new position is not in 我的岗位")
    position_id = str(card.get_attribute("data-position"))
    assert card.get_attribute("data-status") == "PENDING_REVIEW"
    assert "待审核" in card.text, card.text
    screens.check("unit-03-pending", show=f"li[data-position='{position_id}']")

    # The 太原 bureau approves over SigV4; 已发布, and in the public 见习岗位查询
    decided = requests.post(f"{base}/review/positions/{position_id}/decision", json={"decision": "APPROVED"},
                            auth=TAIYUAN, timeout=30)  # fmt: skip
    assert decided.status_code == 200, decided.text
    link(browser, "首页").click()
    link(browser, "见习岗位查询").click()
    type_into(field(browser, "关键字"), title)
    button(browser, "查询").click()
    wait(browser).until(
        lambda d: d.find_elements(By.XPATH, f"//li[@data-position='{position_id}']"),
        "not in 见习岗位查询 once approved",
    )
    found = browser.find_element(By.XPATH, f"//li[@data-position='{position_id}']")
    assert not found.find_elements(By.TAG_NAME, "button"), "a unit is offered 申请 in 见习岗位查询"
    link(browser, "查看详情", within=found).click()
    wait(browser).until(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "工作地址"))
    assert not [b for b in browser.find_elements(By.TAG_NAME, "button") if "申请该岗位" in b.text], (
        "a unit offered 申请"
    )

    # A citizen applies (over the API); the unit sees the applicant under 申请人员, masked
    id_number = fresh_id_number()
    citizen = log_in(base, id_number)
    ids = [upload_confirmed(stack, citizen, kind) for kind in ("ID_CARD", "EMPLOYMENT_CERTIFICATE", "DIPLOMA")]
    applied = citizen.post(f"{base}/applications", json=application_form(position_id, ids), headers=CSRF, timeout=30)
    assert applied.status_code == 201, applied.text
    name = citizen.get(f"{base}/me", timeout=30).json()["name"]
    citizen.close()
    screens.allowed = (*typed, name)

    link(browser, "单位中心").click()
    card = card_of(browser, position_id)
    assert status_of(browser, position_id) == "OPEN"
    assert "已发布" in card.text
    link(browser, "申请人员", within=card).click()
    row = f"//tr[@data-reference='{applied.json()['referenceNo']}']"
    found = wait(browser).until(lambda d: d.find_element(By.XPATH, row), "the applicant is not under 申请人员")
    shown = found.text
    for expected in (name, "138****5678", "太原理工大学", "未审核", id_number[:6] + "********" + id_number[-4:]):
        assert expected in shown, f"{expected!r} not in the applicant's line {shown!r}"
    assert id_number not in main_text(browser)
    assert browser.find_element(By.ID, "filter-applicant-position").get_attribute("value") == position_id
    screens.check("unit-04-applicants", show=".applicant-list")

    # 编辑: the form holds the position; a change made meanwhile elsewhere (a second operator) is
    # explained (409), the form reads the position again, and the change goes to review (修改待审核)
    link(browser, "我的岗位").click()
    link(browser, "编辑", within=card_of(browser, position_id)).click()
    edited_title = field(browser, "岗位名称")
    wait(browser).until(lambda d: edited_title.get_attribute("value") == title, "the edit form is not filled")
    other = unit_login(stack, unit["unitCreditCode"])
    current = other.get(f"{base}/unit/positions/{position_id}", timeout=30).json()
    raced = other.put(f"{base}/unit/positions/{position_id}", json={**current, "headcount": 4}, timeout=30)
    assert raced.status_code == 200, raced.text
    other.close()
    type_into(edited_title, title + "（修订）")
    button(browser, "提交审核").click()
    summary = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert "已被他人修改，请刷新后重试" in summary.text, summary.text
    screens.check("unit-05-edit-conflict", show=".error-summary")
    button(browser, "重新加载岗位").click()
    wait(browser).until(lambda d: field(d, "招募人数").get_attribute("value") == "4", "the form did not read it again")
    type_into(field(browser, "岗位名称"), title + "（修订）")
    button(browser, "提交审核").click()
    wait(browser).until(ready.url_contains("/org/positions"))
    card = card_of(browser, position_id)
    wait(browser).until(
        lambda d: "修改待审核" in card_of(d, position_id).text, "no 修改待审核 on the published position"
    )
    assert status_of(browser, position_id) == "OPEN"

    # 关闭, after a confirmation
    button(browser, "关闭", within=card_of(browser, position_id)).click()
    dialog = wait(browser).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".el-message-box")))
    assert "关闭确认" in dialog.text
    button(browser, "确认关闭", within=dialog).click()
    wait(browser).until(lambda d: status_of(d, position_id) == "CLOSED", "the position was not closed")
    assert "已关闭" in card_of(browser, position_id).text

    # 退出登录: both logins offered again
    button(browser, "退出登录").click()
    header = browser.find_element(By.CSS_SELECTOR, ".header-actions")
    link(browser, "单位登录", within=header)
    link(browser, "个人用户登录", within=header)
    assert screens.checked == [
        "unit-01-positions",
        "unit-02-new-position-errors",
        "unit-03-pending",
        "unit-04-applicants",
        "unit-05-edit-conflict",
    ]
