"""Plan 8 in a real browser: 赵建国 finds a restaurant's gig near him on his phone and takes it, the employer 朱红
confirms, both confirm completion and rate each other, and he raises a wage complaint in one click, which the city
officer refers to legal aid."""

import re

from playwright.sync_api import Page, expect

from support import assert_fits_width, login, screenshot


def test_a_gig_from_search_to_a_wage_complaint(open_page, live_server: str) -> None:
    worker: Page = open_page("phone")
    login(worker, "migrant_zhao")
    worker.goto("/flexible/")
    worker.get_by_label("工种").select_option("kitchen")
    worker.get_by_role("button", name="搜索").click()
    assert_fits_width(worker)
    screenshot(worker, "flexible-search-phone")
    worker.get_by_role("link", name="午市后厨帮工").click()
    worker.get_by_role("button", name="立即接单（即时快招）").click()
    expect(worker.locator("#status")).to_have_text("已接单，待雇主确认")
    engagement_path = re.search(r"/flexible/engagements/\d+/", worker.url).group(0)

    employer: Page = open_page("desktop")
    login(employer, "employer")
    employer.goto(engagement_path)
    employer.get_by_role("button", name="确认用工").click()
    expect(employer.locator("#status")).to_have_text("雇主已确认，待完工")
    employer.get_by_role("button", name="确认完工").click()

    worker.reload()
    worker.get_by_role("button", name="确认完工").click()
    expect(worker.locator("#status")).to_have_text("双方确认完工")
    worker.get_by_label("评分（1–5）").select_option("4")
    worker.get_by_label("评价", exact=True).fill("活不重，按时结算")
    worker.get_by_role("button", name="提交评价").click()
    employer.reload()
    employer.get_by_label("评分（1–5）").select_option("5")
    employer.get_by_role("button", name="提交评价").click()
    expect(employer.get_by_text("活不重，按时结算")).to_be_visible()

    worker.reload()
    worker.get_by_role("button", name="一键投诉：拖欠报酬").click()
    expect(worker.get_by_role("heading", name="维权诉求（绿色通道）")).to_be_visible()
    screenshot(worker, "flexible-complaint-phone")
    number = re.search(r"WQ-\d{4}-510104-\d{6}", worker.content()).group(0)

    officer: Page = open_page("desktop")
    login(officer, "officer_cd")
    officer.goto("/flexible/workbench/rights/")
    row = officer.get_by_role("row").filter(has_text=number)
    row.get_by_role("button", name="转介").click()
    expect(officer.get_by_role("row").filter(has_text=number)).to_contain_text("法律援助中心")
    screenshot(officer, "flexible-rights-desk")
