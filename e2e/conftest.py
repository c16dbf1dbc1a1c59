"""Fixtures for the browser journeys.

- ``live_server``: the origin of the server that e2e/run.sh started on a throwaway database with demo data.
- ``browser``: Debian's Chromium (one per run), headless, with Playwright's fresh temporary profile.
- ``page`` (desktop, 1280×800) and ``phone_page`` (390×844, touch, mobile viewport), each in a new browser
  context (no cookies shared with any other test), with the live server as base URL: ``page.goto("/login/")``.
  ``open_page("phone")`` opens more of them in one test (two people, or both sizes).
- ``traffic``: every request, console error and uncaught page error of the test's pages. After each test the guard
  fails the test if a page asked any host but the live server (such requests are also blocked, so nothing leaves
  the machine) or if the browser logged an error, a Content-Security-Policy violation included. A journey that
  expects errors says so with ``@pytest.mark.allow_console_errors`` and checks ``traffic`` itself.

When a test fails, its pages are saved as test-output/e2e/failed-<test>-<n>.png.
"""

import contextlib
import os
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Request, Route, sync_playwright

from support import OUTPUT_DIR

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking switches Chromium keeps calling out to Google's services, which this closed
# network refuses. Playwright adds a fresh temporary --user-data-dir itself (and refuses one in these arguments).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("E2E_BASE_URL"):
        raise pytest.UsageError(
            "E2E_BASE_URL is not set: run the journeys with `make test-e2e` (or `bash e2e/run.sh .venv/bin/python`), "
            "or point E2E_BASE_URL at a running development server with demo data."
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    setattr(item, f"report_{report.when}", report)  # read by open_page() to screenshot failures
    return report


@dataclass
class Traffic:
    """What the browser did during one test, across all its pages."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the live server. data: and blob: URLs never leave the browser."""
        return [
            url
            for url in self.requests
            if not (url.startswith(self.origin + "/") or url.startswith(("data:", "blob:")))
        ]

    def problems(self) -> list[str]:
        return (
            [f"request to a host other than {self.origin}: {url}" for url in self.foreign_requests()]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught error in the page: {text}" for text in self.page_errors]
        )

    def watch(self, context: BrowserContext) -> None:
        def on_request(request: Request) -> None:
            self.requests.append(request.url)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                url = message.location.get("url")
                self.console_errors.append(f"{message.text} ({url})" if url else message.text)

        def block_foreign(route: Route) -> None:
            route.abort("blockedbyclient")

        context.on("request", on_request)
        context.on("console", on_console)
        context.on("weberror", lambda web_error: self.page_errors.append(str(web_error.error)))
        origin = re.escape(self.origin)
        context.route(re.compile(rf"^(?!{origin}/|data:|blob:)"), block_foreign)


@pytest.fixture(scope="session")
def live_server() -> str:
    """The live server's origin, e.g. ``http://127.0.0.1:41234`` (no trailing slash)."""
    return os.environ["E2E_BASE_URL"].rstrip("/")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def traffic(request: pytest.FixtureRequest, live_server: str) -> Iterator[Traffic]:
    traffic = Traffic(origin=live_server)
    yield traffic
    if request.node.get_closest_marker("allow_console_errors"):
        return
    if problems := traffic.problems():
        pytest.fail("the browser did something it should not:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def open_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: str, traffic: Traffic
) -> Iterator[Callable[[str], Page]]:
    """``open_page("desktop" | "phone")``: a page in a new browser context of that size, watched by ``traffic``."""
    contexts: list[BrowserContext] = []

    def open_page(device: str = "desktop") -> Page:
        context = browser.new_context(
            base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai", **DEVICES[device]
        )
        context.set_default_timeout(TIMEOUT_MS)
        traffic.watch(context)
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed:
            name = re.sub(r"[^a-z0-9_-]+", "-", request.node.name.lower()).strip("-")
            for page in context.pages:
                with contextlib.suppress(Error):  # a page that cannot be drawn must not hide the test's failure
                    page.screenshot(path=OUTPUT_DIR / f"failed-{name}-{number}.png", full_page=True)
        context.close()


@pytest.fixture
def page(open_page: Callable[[str], Page]) -> Page:
    return open_page("desktop")


@pytest.fixture
def phone_page(open_page: Callable[[str], Page]) -> Page:
    return open_page("phone")
