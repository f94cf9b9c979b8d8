"""Browser fixtures: Debian's Chromium driven by Playwright against a live server in the test process.

Playwright never downloads a browser here: it launches the system Chromium (``/usr/bin/chromium``,
installed by ``.ci/run``). A failing test leaves a screenshot of the page in ``var/screenshots/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.server import SharedConnectionServer

# Playwright's sync API runs an asyncio loop in the test thread; Django refuses database access
# from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def portal_server(django_db_setup, django_db_blocker) -> Iterator[SharedConnectionServer]:
    with django_db_blocker.unblock():
        server = SharedConnectionServer()
        server.start_serving()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium' (see .ci/run).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _failed(request) -> bool:
    return any(getattr(request.node, f"report_{when}", None) and getattr(request.node, f"report_{when}").failed
               for when in ("setup", "call"))


def _screenshot(tab, request, suffix: str = "") -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:] + suffix
    path = SCREENSHOTS / f"{name}.png"
    try:
        tab.screenshot(path=str(path), full_page=True)
        print(f"Screenshot of the failing page: {path}")
    except Exception as error:  # noqa: BLE001 - never hide the real failure behind this one
        print(f"No screenshot: {error}")


def _new_context(chromium, portal_server):
    context = chromium.new_context(base_url=portal_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(chromium, portal_server, db, request):
    """A fresh browser tab (no cookies) on the live portal; screenshot saved if the test fails."""
    context = _new_context(chromium, portal_server)
    tab = context.new_page()
    yield tab
    if _failed(request):
        _screenshot(tab, request)
    context.close()


@pytest.fixture
def new_tab(chromium, portal_server, db, request):
    """Makes a tab in a browser context of its own (its own cookies: one per person in a journey
    with several actors). A failing test leaves a screenshot of every tab, named by its label."""
    opened = []

    def _open(label: str, *, timeout_ms: int = 15_000):
        context = _new_context(chromium, portal_server)
        context.set_default_timeout(timeout_ms)
        tab = context.new_page()
        opened.append((label, context, tab))
        return tab

    yield _open
    failed = _failed(request)
    for label, context, tab in opened:
        if failed:
            _screenshot(tab, request, suffix=f"-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label)}")
        context.close()
