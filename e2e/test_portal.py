"""The citizen portal as an anonymous visitor sees it."""

import pytest
from playwright.sync_api import Page, expect

from support import assert_fits_width, screenshot

PLANS = [
    "创业环境优化",
    "创业主体培育",
    "创业服务护航",
    "创业培训赋能",
    "创业政策扶持",
    "金融产品助力",
    "创业载体筑巢",
    "灵活就业支持",
]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_visitor_sees_the_eight_plans(open_page, device: str) -> None:
    page: Page = open_page(device)
    page.goto("/")

    expect(page).to_have_title("创业服务平台")
    heading = page.get_by_role("heading", name="创业推进行动八项计划", exact=True)
    expect(heading).to_be_visible()
    cards = page.locator("section", has=heading).get_by_role("listitem")
    expect(cards).to_have_count(8)
    expect(cards.get_by_role("heading")).to_have_text(PLANS)
    expect(page.get_by_role("link", name="登录办事")).to_be_visible()
    expect(page.get_by_text("演示环境：数据均为虚构")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, f"portal-home-{device}")
