"""Plan 7 in a real browser: 李晓雨 (a certified graduate) applies for a desk in the demo incubation base and sees
her priority score; the operator 马超 allocates a desk, which is rent-free for key groups in a government-funded
base, and records her move-in; she sees her contract."""

import re

from playwright.sync_api import Page, expect

from support import assert_fits_width, login, screenshot


def test_a_founder_gets_a_free_desk(open_page, live_server: str) -> None:
    citizen: Page = open_page("phone")
    login(citizen, "13800000001")  # 李晓雨
    citizen.goto("/incubators/")
    citizen.get_by_role("link", name="武侯区大学生创业孵化基地（示例）").click()
    expect(citizen.get_by_text("重点群体入驻免收租金")).to_be_visible()
    citizen.get_by_role("link", name="申请入驻").click()
    expect(citizen.get_by_text("重点群体：高校毕业生")).to_be_visible()
    citizen.get_by_label("项目名称").fill("校园二手书循环平台")
    citizen.get_by_label("项目简介（至少10个字）").fill("回收毕业生旧教材，低价转售给新生，并提供线上预约。")
    citizen.get_by_label("计划带动就业人数").fill("3")
    citizen.get_by_label(re.compile("申请孵化期")).fill("24")
    assert_fits_width(citizen)
    screenshot(citizen, "incubators-apply-phone")
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_text(re.compile(r"优先分：\d+ 分"))).to_be_visible()
    number = re.search(r"FH-\d{4}-510107-\d{6}", citizen.content()).group(0)

    operator: Page = open_page("desktop")
    login(operator, "incubator")
    operator.goto("/incubators/manage/")
    operator.get_by_role("link", name=number).click()
    operator.get_by_role("button", name="分配场地并签订入孵协议").click()
    expect(operator.get_by_text("免收租金").first).to_be_visible()
    operator.get_by_role("button", name="确认入驻").click()
    expect(operator.get_by_text("在孵").first).to_be_visible()
    screenshot(operator, "incubators-contract-operator")

    citizen.goto("/incubators/me/")
    expect(citizen.get_by_text("免收租金")).to_be_visible()
    screenshot(citizen, "incubators-mine-phone")
