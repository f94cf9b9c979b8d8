"""Journey 4: a reader switching nb → nn → en stays on the same page, now translated."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import switch_language
from tests.helpers import demo_page


@pytest.mark.parametrize("slug", ["brukerutvalget-i-bergen", "strategi-for-brukermedvirkning-2027-2030"])
def test_switching_language_keeps_the_reader_on_the_same_page_translated(page, slug):
    versions = {code: demo_page(slug, code) for code in ("nb", "nn", "en")}
    page.goto(versions["nb"].url)
    expect(page.get_by_role("heading", level=1)).to_have_text(versions["nb"].title)

    for code in ("nn", "en"):
        switch_language(page, code)
        assert page.url.endswith(versions[code].url), f"{code}: landed on {page.url}, not {versions[code].url}"
        expect(page.get_by_role("heading", level=1)).to_have_text(versions[code].title)

    # The interface follows the content: the skip link is in English now.
    expect(page.locator(".skip-link")).to_have_text("Skip to main content")


def test_switching_language_on_the_search_page_keeps_the_query(page):
    page.goto("/search/?q=brukerutvalg")
    switch_language(page, "nn")
    assert page.url.endswith("/nn/search/?q=brukerutvalg")
    expect(page.get_by_role("searchbox")).to_have_value("brukerutvalg")
    expect(page.get_by_role("heading", level=1)).to_have_text("Søk")
