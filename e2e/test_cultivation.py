"""Plan 2 in a real browser: 李晓雨, a graduate, assesses her tea-shop project on her phone (each factor and the
recommendations), turns it into a cash-flow simulation with its chart and stress view, applies for a guaranteed
loan and attaches both; 黄磊 at the bank reads them on the loan application page."""

import re

from playwright.sync_api import Page, expect

from support import assert_fits_width, login, screenshot

PROJECT = {
    "项目名称": "青禾茶饮二店",
    "总投资（元）": "200000",
    "自有资金（元）": "40000",
    "拟贷款金额（元）": "150000",
    "贷款期限（月）": "24",
    "贷款年利率（%）": "1.5",
    "预计平均售价（元）": "18",
    "预计月销量（件/单）": "3000",
    "单位变动成本（元）": "7",
    "月固定成本（元，含房租、工资、水电）": "15000",
    "相关行业经验（年）": "1",
    "团队人数（含本人）": "2",
}


def test_assess_simulate_and_attach_to_a_loan(open_page, live_server: str) -> None:
    citizen: Page = open_page("phone")
    login(citizen, "13800000001")  # 李晓雨
    citizen.goto("/cultivation/assessments/new/")
    for label, value in PROJECT.items():
        citizen.get_by_label(label, exact=True).fill(value)
    citizen.get_by_label("行业", exact=True).select_option("catering")
    assert_fits_width(citizen)
    citizen.get_by_role("button", name="评估", exact=True).click()
    expect(citizen.get_by_text(re.compile("自有资金低于投资额的30%：建议自有资金至少达到 60000.00 元"))).to_be_visible()
    expect(citizen.locator("#factors")).to_contain_text("还款保障倍数")
    assert_fits_width(citizen)
    screenshot(citizen, "cultivation-assessment-phone")
    assessment_url = citizen.url

    citizen.get_by_role("link", name="用这个项目的数据做经营模拟").click()
    citizen.get_by_label("开办投入（元，第1个月支付）", exact=True).fill("200000")
    citizen.get_by_role("button", name="试算").click()
    expect(citizen.locator("#sim-chart svg")).to_be_visible()
    expect(citizen.locator("#lowest-cash")).to_contain_text("元（第")
    expect(citizen.locator("#stress-lowest-cash")).to_be_visible()
    citizen.get_by_role("button", name="保存方案").click()
    expect(citizen.get_by_role("heading", name="青禾茶饮二店")).to_be_visible()
    expect(citizen.locator("#sim-chart svg")).to_be_visible()
    assert_fits_width(citizen)
    screenshot(citizen, "cultivation-simulation-phone")
    simulation_url = citizen.url

    citizen.goto("/me/loans/apply/")
    citizen.get_by_label("申请金额（元）", exact=True).fill("150000")
    citizen.get_by_label(re.compile("^贷款期限")).fill("24")
    citizen.get_by_label("贷款用途", exact=True).fill("茶饮店装修与设备")
    citizen.get_by_label("经办银行", exact=True).select_option(label="示例农村商业银行锦江支行")
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.get_by_role("heading", name=re.compile("创业担保贷款")).first).to_be_visible()

    citizen.goto(simulation_url)
    application_id = citizen.locator("#id_application option").first.get_attribute("value")
    citizen.get_by_role("button", name="附到贷款申请").click()
    expect(citizen.get_by_text("已将模拟方案附到贷款申请")).to_be_visible()
    citizen.goto(assessment_url)
    citizen.get_by_role("button", name="附到贷款申请").click()
    expect(citizen.get_by_text("已将项目评估附到贷款申请")).to_be_visible()

    bank: Page = open_page("desktop")
    login(bank, "bank_jj")
    bank.goto(f"/workbench/loans/applications/{application_id}/")
    section = bank.locator(".cultivation-attached")
    expect(section).to_contain_text("项目风险评估：青禾茶饮二店")
    expect(section).to_contain_text("自有资金低于投资额的30%")
    expect(section).to_contain_text("销量下降20%时最低现金")
    screenshot(bank, "cultivation-loan-attachments-bank")
