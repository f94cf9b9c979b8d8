"""The search result page on a phone: the results come first, the filters (facets) follow them
folded away, and open when asked; no serious accessibility violations."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

PHONE = {"width": 390, "height": 844}


def test_results_come_before_the_folded_facets_on_a_phone(chromium, portal_server, db):
    context = chromium.new_context(base_url=portal_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/search/?q=brukerutvalg")
        results = page.locator(".search-results .item-list")
        facets = page.locator("[data-search-facets]")
        expect(results).to_be_visible()
        expect(facets).to_be_visible()
        assert results.bounding_box()["y"] < facets.bounding_box()["y"], "facets come before the results"
        first_facet_link = facets.locator("a[data-facet]").first
        expect(first_facet_link).to_be_hidden()
        facets.locator("summary").click()
        expect(first_facet_link).to_be_visible()
        # Nothing sticks out sideways on a narrow screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        assert_accessible(page)
    finally:
        context.close()
