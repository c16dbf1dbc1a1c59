"""The pages load nothing from anywhere but the platform itself, and the browser logs no error on the way."""

from playwright.sync_api import Page, expect

from support import login, screenshot


def test_pages_ask_only_the_platform_and_log_no_errors(page: Page, live_server: str, traffic) -> None:
    page.goto("/")
    page.goto("/login/")
    screenshot(page, "login")
    login(page, "supervisor_jj", next_path="/workbench/")
    expect(page.get_by_text("四川省成都市锦江区（510104）")).to_be_visible()
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("banner").get_by_role("link", name="登录")).to_be_visible()

    assert f"{live_server}/static/css/app.css" in traffic.requests
    assert f"{live_server}/static/vendor/htmx/htmx.min.js" in traffic.requests
    assert f"{live_server}/static/js/app.js" in traffic.requests
    assert all(url.startswith(f"{live_server}/") for url in traffic.requests), traffic.requests
    assert traffic.console_errors == []
    assert traffic.page_errors == []
