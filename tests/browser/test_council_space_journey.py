"""Journey 3: a council member posts in the council's private space; once logged out, the post's URL
is refused and search finds nothing of it. The space pages pass axe-core for members too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.journeys import log_in, log_out, search_for, search_result_titles
from tests.helpers import demo_page

COUNCIL = "brukerutvalget-i-bergen"
SECRET = "Sjokoladefontene"


def test_member_posts_in_the_private_space_and_nobody_outside_sees_it(page):
    council = demo_page(COUNCIL)
    log_in(page, "utvalgsmedlem")
    page.goto(council.url)
    page.locator("a[href$='/rom/']").first.click()
    expect(page).to_have_url(re.compile(r"/rom/$"))

    page.locator("#id_thread-title").fill(f"{SECRET}: forslag til neste møte")
    page.locator("#id_thread-body").fill(f"Kan vi ta opp {SECRET.lower()} som sak? Dette er internt.")
    page.locator("input[name=action][value=new_thread]").locator("xpath=..").locator("button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SECRET)
    thread_url = page.url
    assert "/rom/trad/" in thread_url

    # The member finds the post through search (so "nothing" below means hidden, not unindexed).
    search_for(page, SECRET)
    assert any(SECRET in title for title in search_result_titles(page))

    log_out(page)
    response = page.goto(thread_url)
    refused = response.status == 403 or "/accounts/login/" in page.url
    assert refused, f"{thread_url} answered {response.status} at {page.url} after logging out"
    assert SECRET not in page.content()
    search_for(page, SECRET)
    expect(page.locator("[data-search-count]")).to_have_attribute("data-search-count", "0")
    expect(page.locator(".item-list")).to_have_count(0)


@pytest.mark.parametrize("route", ["rom/", "rom/medlemmer/"])
def test_private_space_pages_are_accessible_to_members(page, route):
    log_in(page, "utvalgsmedlem")
    response = page.goto(demo_page(COUNCIL).url + route)
    assert response.status == 200
    assert_accessible(page)
