"""Every public page type, and the private space pages, pass axe-core with no serious or critical
violation (WCAG 2.1 AA). A failure names the rule and the element."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible, describe, serious_violations
from tests.browser.journeys import log_in
from tests.helpers import demo_page

FFB = "fellesforbundet-for-brukerorganisasjoner"

# name: (how to find the URL, expected status). Pages are looked up in the demo by Bokmål slug.
PUBLIC_PAGES = {
    "home": lambda lang: demo_page("hjem", lang).url,
    "hearing index": lambda lang: demo_page("horinger", lang).url,
    "council index": lambda lang: demo_page("brukerutvalg", lang).url,
    "organisation index": lambda lang: demo_page("organisasjoner", lang).url,
    "position paper index": lambda lang: demo_page("standpunkt", lang).url,
    "organisation": lambda lang: demo_page(FFB, lang).url,
    "council": lambda lang: demo_page("brukerutvalget-i-bergen", lang).url,
    "hearing": lambda lang: demo_page("strategi-for-brukermedvirkning-2027-2030", lang).url,
    "standard page": lambda lang: demo_page("tilgjengelighet", lang).url,
    "meeting with minutes": lambda lang: _meeting(lang).url,
    "search results": lambda lang: ("" if lang == "nb" else f"/{lang}") + "/search/?q=brukerutvalg",
    "empty search": lambda lang: ("" if lang == "nb" else f"/{lang}") + "/search/?q=",
    "login": lambda lang: ("" if lang == "nb" else f"/{lang}") + "/accounts/login/",
    "not found": lambda lang: ("" if lang == "nb" else f"/{lang}") + "/finnes-ikke/",
    "open data": lambda lang: ("" if lang == "nb" else f"/{lang}") + "/apne-data/",
}


def _meeting(lang: str):
    from portal.meetings.models import MeetingPage

    council = demo_page("brukerutvalget-i-bergen", lang)
    return MeetingPage.objects.child_of(council).live().order_by("path").first()


CASES = [(name, "nb") for name in PUBLIC_PAGES] + [
    ("home", "nn"), ("council", "nn"), ("search results", "nn"),
    ("home", "en"), ("hearing", "en"), ("organisation", "en"), ("not found", "en"),
]


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{name}-{lang}" for name, lang in CASES])
def test_public_page_has_no_serious_accessibility_violations(page, name, lang):
    url = PUBLIC_PAGES[name](lang)
    response = page.goto(url)
    assert response.status == (404 if name == "not found" else 200), url
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)


def test_login_page_showing_an_error_is_accessible(page):
    """Error states count too: the login form after a wrong password."""
    page.goto("/accounts/login/")
    page.get_by_label("Brukernavn").fill("finnes-ikke")
    page.get_by_label("Passord").fill("feil")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_the_checker_reports_a_violation_with_rule_and_element(page):
    """Guards the guard: axe is really injected and a real violation fails with its rule and element."""
    page.set_content('<html lang="nb"><head><title>t</title></head><body><main><h1>t</h1>'
                     '<img src="/static/x.png" id="unlabelled-image"><input type="text" id="unlabelled-field">'
                     "</main></body></html>")
    violations = serious_violations(page)
    rules = {violation["id"] for violation in violations}
    assert {"image-alt", "label"} <= rules
    message = describe(violations)
    assert "image-alt" in message and "#unlabelled-image" in message
    assert "label" in message and "#unlabelled-field" in message


@pytest.mark.parametrize("path", ["arbeidsrom/", "arbeidsrom/utkast-innspill-strategi-brukermedvirkning/"])
def test_organisation_space_pages_are_accessible_to_their_members(page, path):
    log_in(page, "org-medlem")
    url = demo_page(FFB).url + path
    response = page.goto(url)
    assert response.status == 200, url
    assert_accessible(page)
