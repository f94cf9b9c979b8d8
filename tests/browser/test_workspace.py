"""The workspace in a real browser: axe-clean in nb and nn, no horizontal scrolling on a 320 px
phone, and usable without JavaScript (it is a plain server-rendered page)."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.journeys import log_in

PEOPLE = ["org-leder", "moderator", "utvalgsleder", "org-medlem"]


@pytest.mark.parametrize("username", PEOPLE)
def test_the_workspace_is_accessible_and_fits_a_phone(page, username):
    log_in(page, username)
    page.locator(".site-tools__workspace").click()
    page.wait_for_url("**/arbeidsrom/")
    assert page.locator("h1").inner_text() == "Mitt arbeidsrom"
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scrolling at 320 px"
    page.goto("/nn/arbeidsrom/")
    assert_accessible(page)


def test_the_workspace_works_without_javascript(chromium, portal_server, db):
    context = chromium.new_context(base_url=portal_server.url, java_script_enabled=False)
    try:
        tab = context.new_page()
        log_in(tab, "utvalgsleder")
        tab.goto("/arbeidsrom/")
        link = tab.locator("#waiting-heading ~ ul a").first
        href = link.get_attribute("href")
        assert href and not href.startswith("/admin/")
        link.click()
        assert "/admin/" not in tab.url
    finally:
        context.close()
