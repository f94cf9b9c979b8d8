"""The Content-Security-Policy breaks nothing: the public site and the Wagtail admin run in a real
Chromium without a single policy violation (a blocked script or style would show up here)."""

from __future__ import annotations

import pytest

from tests.browser.journeys import enter_second_factor
from tests.helpers import demo_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _watch_violations(tab) -> list[str]:
    violations: list[str] = []
    tab.on("console", lambda message: violations.append(message.text)
           if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    return violations


def test_public_pages_run_without_policy_violations(page):
    violations = _watch_violations(page)
    for url in ("/", "/horinger/", "/brukerutvalg/brukerutvalget-i-bergen/", "/search/?q=brukerutvalg",
                "/accounts/login/", "/accounts/password-reset/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)


def test_the_wagtail_admin_runs_without_policy_violations(page):
    violations = _watch_violations(page)
    page.goto("/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo-passord-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    # The admin's sign-in owes a second factor, typed as the authenticator app would show it.
    if "/accounts/two-step/" in page.url:
        enter_second_factor(page, "admin")
    page.goto("/admin/")
    page.wait_for_url("**/admin/")
    home, standard = demo_page("hjem").pk, demo_page("tilgjengelighet").pk
    for url in ("/admin/", f"/admin/pages/{home}/", f"/admin/pages/{standard}/edit/", "/admin/documents/",
                "/admin/images/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)
