"""Helpers for the browser journeys, imported by the tests: `from support import login, screenshot`.

Pages are opened by the fixtures in conftest.py with the live server as base URL, so paths are relative:
``page.goto("/workbench/")``.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = Path(os.environ.get("E2E_OUTPUT_DIR", ROOT / "test-output" / "e2e"))

# Every demo account has this password (chuangye/demo, README "Demo accounts").
DEMO_PASSWORD = "Chuangye#2026demo"  # noqa: S105
TOTP_STEP_SECONDS = 30
_last_totp_step: dict[str, int] = {}


def demo_totp(username: str) -> str:
    """A demo account's current authenticator code, got as a tester gets it (``manage.py demo_totp``).

    A code works once, so when this run has already used the current one for the account, this waits for the next
    (up to 30 s): prefer a different account in each journey that signs in staff.
    """
    while True:
        step = int(time.time() // TOTP_STEP_SECONDS)
        if _last_totp_step.get(username, -1) >= step:
            time.sleep((step + 1) * TOTP_STEP_SECONDS - time.time() + 0.1)
            continue
        result = subprocess.run(  # noqa: S603 - our own manage.py, run by the interpreter running the tests
            [sys.executable, str(ROOT / "manage.py"), "demo_totp", username],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        if int(time.time() // TOTP_STEP_SECONDS) == step:  # else the code turned over while we asked: ask again
            _last_totp_step[username] = step
            return result.stdout.split()[0]


def _submit(page: Page, field: Locator) -> int:
    """Press Enter in a form field, as a person would, and return the HTTP status of the page it leads to."""
    with page.expect_navigation() as navigation:
        field.press("Enter")
    response = navigation.value
    return response.status if response is not None else 0


def login(page: Page, username: str, password: str = DEMO_PASSWORD, *, next_path: str | None = None) -> None:
    """Sign in through the login form as a person would, with the authenticator code when the platform asks for
    it (staff and partner accounts), and check that it worked.

    With ``next_path`` the form is opened as ``/login/?next=…`` and the journey must land there; without it, wherever
    the platform sends that account. Fails with the page's own error text when the platform refuses the account.
    """
    page.goto("/login/" + (f"?next={quote(next_path)}" if next_path else ""))
    page.locator("input[autocomplete=username]").fill(username)
    password_field = page.locator("input[autocomplete=current-password]")
    password_field.fill(password)
    status = _submit(page, password_field)
    code_field = page.locator("input[autocomplete=one-time-code]")
    if urlsplit(page.url).path.startswith("/login/") and code_field.count():
        code_field.fill(demo_totp(username))
        status = _submit(page, code_field)
    path = urlsplit(page.url).path
    if path.startswith("/login/"):
        alerts = page.get_by_role("alert").all_inner_texts()
        raise AssertionError(f"login as {username} was refused: {alerts or 'no error shown'}")
    assert status < 400, f"login as {username} landed on {path} with HTTP {status}"
    if next_path is not None:
        assert path == urlsplit(next_path).path, f"login as {username} landed on {path}, not {next_path}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-output/e2e/<name>.png and return its path."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise ValueError(f"screenshot names are lower-case words joined by - or _: {name!r}")
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def assert_fits_width(page: Page) -> None:
    """Nothing on the page is wider than the viewport (no sideways scrolling on a phone). Content inside a box that
    scrolls sideways on purpose (the navigation bar on a phone) is that box's business, as long as the box fits."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const inScroller = (el) => {
                for (let p = el.parentElement; p; p = p.parentElement) {
                    if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return true;
                }
                return false;
            };
            const wide = [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
                .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
            return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
        }"""
    )
    assert overflow["scrollWidth"] <= overflow["width"] and not overflow["wide"], f"wider than the screen: {overflow}"
