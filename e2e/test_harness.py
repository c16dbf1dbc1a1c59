"""The guard in conftest.py notices what it is there to notice (a guard that never fires proves nothing)."""

import pytest
from playwright.sync_api import Page

# Loopback, but not the live server: a different origin that nothing listens on, so nothing could leave the machine.
ELSEWHERE = "http://127.0.0.2:9/pixel.png"


@pytest.mark.allow_console_errors
def test_the_guard_sees_csp_violations(page: Page, traffic) -> None:
    page.goto("/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inlineRan = true;";
        document.body.append(script);
    }""")
    page.wait_for_timeout(200)  # the violation is reported asynchronously

    assert page.evaluate("() => window.inlineRan") is None  # the CSP blocked the inline script
    assert any("Content Security Policy" in error for error in traffic.console_errors), traffic.console_errors
    assert traffic.problems()


@pytest.mark.allow_console_errors
def test_the_guard_sees_and_blocks_requests_elsewhere(page: Page, traffic) -> None:
    page.set_content(f'<img src="{ELSEWHERE}" alt="">')  # about:blank has no CSP to stop it first

    assert traffic.foreign_requests() == [ELSEWHERE]
    assert any("ERR_BLOCKED_BY_CLIENT" in error for error in traffic.console_errors), traffic.console_errors


@pytest.mark.allow_console_errors
def test_the_guard_sees_uncaught_errors(page: Page, traffic) -> None:
    page.goto("/")
    page.evaluate("() => { setTimeout(() => { throw new Error('boom in the page'); }); }")
    page.wait_for_timeout(200)

    assert any("boom in the page" in error for error in traffic.page_errors), traffic.page_errors
