"""The portal editor and its review page: no serious or critical axe violations, and usable on a
phone (no horizontal scrolling at 320 px). With DOCS_SCREENSHOTS=1 the run also refreshes the
pictures of the editor in docs/ (desktop and phone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.editor import actions
from tests.browser.axe import assert_accessible
from tests.browser.journeys import log_in
from tests.hearings.helpers import make_hearing, make_response
from tests.helpers import demo_user

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def draft(db):
    member = demo_user("org-medlem")
    response = make_response(
        make_hearing("redigering-i-nettlesar", title="Høring om rekruttering av brukerrepresentanter"),
        remarks="<h2>Innledning</h2><p>FFB støtter forslaget, men <em>alle</em> møter må være tilgjengelige.</p>",
        parts=[("1", "comment", "Formålet er godt.", ""),
               ("2", "amendment", "Organisasjonene må nevnes først.",
                "Brukerrepresentanter rekrutteres fra organisasjoner og åpne møter.")],
        user=member,
    )
    actions.comment_add(page=response, user=demo_user("org-leder"), anchor="2",
                        body="@org-medlem kan vi korte ned begrunnelsen?")
    return response


def _fits(tab: Page, width: int) -> None:
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{tab.url} scrolls sideways at {width} px ({scroll_width} px wide)"


def _shoot(tab: Page, name: str) -> None:
    if os.environ.get("DOCS_SCREENSHOTS"):
        tab.screenshot(path=str(DOCS / name), full_page=True)


def test_the_editor_is_accessible_and_fits_a_phone(page, draft):
    log_in(page, "org-medlem")
    page.goto(f"/nn/arbeidsrom/utkast/{draft.pk}/")
    expect(page.locator(".rich-text-box")).to_be_visible()  # the enhancements have run
    expect(page.locator("[data-part]").nth(1).locator("[data-diff] ins").first).to_be_visible()
    assert_accessible(page)
    _shoot(page, "editor-desktop.png")
    page.set_viewport_size({"width": 320, "height": 800})
    _fits(page, 320)
    assert_accessible(page)
    _shoot(page, "editor-phone.png")


def test_the_review_page_is_accessible_and_fits_a_phone(page, draft):
    actions.submit(page=draft, user=demo_user("org-medlem"))
    log_in(page, "org-leder")
    page.goto(f"/arbeidsrom/utkast/{draft.pk}/godkjenning/")
    expect(page.locator(".workflow-compare")).to_be_visible()
    assert_accessible(page)
    _shoot(page, "editor-review-desktop.png")
    page.set_viewport_size({"width": 320, "height": 800})
    _fits(page, 320)
    _shoot(page, "editor-review-phone.png")
