"""Journey 1: a public reader goes from the home page to a council and finds it again by searching,
and finds a council's minutes by a word in them, with the exempt item shown only as its legal basis.

The steps live in ``tests/browser/journeys.py``; once the council page links its latest minutes
(``templates/meetings/includes/council_meetings.html``), the council leg can click through to them.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.journeys import (
    follow_main_menu,
    open_council,
    open_home,
    open_search_result,
    search_for,
    search_result_titles,
)
from tests.helpers import demo_page

COUNCIL = "brukerutvalget-i-bergen"


def test_reader_reaches_a_council_and_finds_it_by_search(page):
    council = demo_page(COUNCIL)
    councils_section = council.get_parent().specific

    open_home(page)
    follow_main_menu(page, councils_section.title)
    open_council(page, council.title)
    assert page.url.endswith(council.url)
    expect(page.get_by_role("heading", name="Medlemmer", exact=True)).to_be_visible()

    search_for(page, "Bergen")
    assert council.title in search_result_titles(page)
    open_search_result(page, council.title)
    expect(page.get_by_role("heading", level=1)).to_have_text(council.title)


def test_reader_in_english_finds_the_translated_council(page):
    council = demo_page(COUNCIL, "en")
    open_home(page, "/en")
    follow_main_menu(page, council.get_parent().title)
    open_council(page, council.title)
    search_for(page, "Bergen")
    assert council.title in search_result_titles(page)


def test_reader_finds_minutes_by_a_word_in_them_and_sees_the_confidential_placeholder(page):
    """Minutes are found through search by a word in their text; an item exempt from public
    disclosure shows its legal basis, never its text."""
    from portal.meetings.models import MeetingPage

    council = demo_page(COUNCIL)
    meeting = MeetingPage.objects.child_of(council).get(slug="mote-1")

    open_home(page)
    search_for(page, "saksbehandlingsenhet")
    assert meeting.title in search_result_titles(page)
    open_search_result(page, meeting.title)

    expect(page.get_by_text("offl. § 13").first).to_be_visible()
    body = page.content()
    assert "redegjørelse for oppfølgingen" not in body  # the exempt item's minutes text
    assert "helseopplysninger" not in body  # the exempt item's description

    search_for(page, "helseopplysninger")
    assert meeting.title not in search_result_titles(page)
