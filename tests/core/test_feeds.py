"""Feeds as their clients read them: the calendar parsed by the icalendar library, the Atom feeds by
feedparser (as feed readers do). Only what an anonymous reader may see is in any of them."""

from __future__ import annotations

import datetime

import feedparser
import icalendar
import pytest
import vobject
from bs4 import BeautifulSoup

from portal.hearings import actions as hearing_actions
from portal.hearings.models import PublishedResponse
from portal.meetings.models import OSLO, MeetingPage
from portal.positions.models import PublishedPositionPaper
from tests.hearings.helpers import FFB, accept, make_hearing, make_response
from tests.helpers import demo_page, demo_user
from tests.meetings import factories

pytestmark = pytest.mark.django_db


def _events(client, url: str) -> dict[str, icalendar.Event]:
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    timezones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert timezones == ["Europe/Oslo"], "every local time refers to a VTIMEZONE the file carries"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _atom(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    for entry in feed.entries:
        # RFC 4287: every entry has an author (its own or the feed's) and an IRI as id.
        assert entry.get("author") or feed.feed.get("author"), entry.title
        assert entry.id.startswith(("urn:uuid:", "tag:", "http://", "https://")), entry.id
    return feed


def test_calendar_has_oslo_time_cancellations_and_a_sequence_that_grows_on_update(client):
    meeting = factories.meeting(slug="ical-mote", days=20, status="planned", items=[{"title": "Åpen sak; med, tegn"}])
    uid = f"meeting-{meeting.translation_key}@brukermedvirkning"
    event = _events(client, "/moter/kalender.ics")[uid]
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert start == meeting.start and start.utcoffset() == meeting.start.astimezone(OSLO).utcoffset()
    assert start.astimezone(OSLO).hour == 10
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Åpen sak; med, tegn" in str(event["DESCRIPTION"])
    first_sequence = int(event["SEQUENCE"])

    page = MeetingPage.objects.get(pk=meeting.pk)
    page.start = page.start + datetime.timedelta(hours=2)
    page.status = MeetingPage.Status.CANCELLED
    page.save_revision().publish()

    event = _events(client, "/moter/kalender.ics")[uid]
    assert str(event["STATUS"]) == "CANCELLED", "a cancelled meeting stays, marked, so calendars drop it"
    assert int(event["SEQUENCE"]) > first_sequence, "an update raises SEQUENCE"
    assert event.decoded("DTSTART").astimezone(OSLO).hour == 12
    assert uid in _events(client, f"/moter/utvalg/{factories.council().pk}/kalender.ics")


def test_a_second_calendar_library_reads_the_same_events(client):
    """vobject parses iCalendar on its own (it does not use the icalendar library that wrote it)."""
    meeting = factories.meeting(slug="vobject-mote", days=15, status="planned", items=[{"title": "Sak om ŋ og š"}])
    parsed = vobject.readOne(client.get("/moter/kalender.ics").content.decode("utf-8"))
    events = {event.uid.value: event for event in parsed.vevent_list}
    event = events[f"meeting-{meeting.translation_key}@brukermedvirkning"]
    assert event.dtstart.value == meeting.start
    assert event.dtstart.value.utcoffset() == meeting.start.astimezone(OSLO).utcoffset()
    assert "Sak om ŋ og š" in event.description.value
    assert parsed.vtimezone.tzid.value == "Europe/Oslo"


def test_minutes_feed_is_valid_atom_with_authors_iri_ids_and_plain_text(client):
    feed = _atom(client, "/moter/referater.atom")
    assert feed.feed.author
    assert feed.entries
    entry = feed.entries[0]
    assert entry.id.startswith("urn:uuid:")
    assert entry.summary_detail.type == "text/plain"
    assert "\n" in entry.summary, "one line per case, as written"
    ids = [e.id for e in feed.entries]
    assert ids == [e.id for e in _atom(client, "/nn/moter/referater.atom").entries], "ids do not change by language"


def test_hearing_feed_has_released_responses_then_the_outcome_and_is_linked_from_the_page(client):
    hearing = make_hearing("atom-horing", days=-1)
    remarks = "<p>Vi støtter <b>punkt 1</b> &amp; 2.</p>"
    published = accept(make_response(hearing, FFB, slug="atom-svar", remarks=remarks,
                                     parts=[("1", "amendment", "Fordi <script> ikke er tekst.", "Ny tekst.")]))
    page = BeautifulSoup(client.get(hearing.url).content, "html.parser")
    link = page.find("link", rel="alternate", type="application/atom+xml")
    assert link is not None and link["href"] == f"/strommer/horing/{hearing.pk}.atom"

    feed = _atom(client, link["href"])
    assert feed.feed.author == "Avdeling for brukerdialog"
    assert [e.id for e in feed.entries] == [f"urn:uuid:{published.key}"]
    entry = feed.entries[0]
    assert entry.author == demo_page(FFB).title
    assert entry.summary_detail.type == "text/plain"
    assert "Vi støtter punkt 1 & 2." in entry.summary and "Fordi <script> ikke er tekst." in entry.summary

    part = published.parts.get()
    hearing_actions.outcome_publish(hearing=hearing, user=demo_user("horingseier"), summary="Forslaget ble tatt inn.",
                                    dispositions={part.pk: ("adopted", "")})
    feed = _atom(client, link["href"])
    assert feed.entries[0].summary == "Forslaget ble tatt inn." and feed.entries[0].link.endswith("#utfall")

    hearing_actions.published_withdraw(published=PublishedResponse.objects.get(pk=published.pk),
                                       user=demo_user("org-leder"))
    assert f"urn:uuid:{published.key}" not in [e.id for e in _atom(client, link["href"]).entries]


def test_responses_held_to_the_deadline_are_not_in_the_feeds_before_it(client):
    hearing = make_hearing("atom-frist", days=5, policy="at_deadline")
    published = accept(make_response(hearing, FFB, slug="atom-frist-svar", remarks="<p>Holdt tilbake Snøhvit.</p>"))
    assert _atom(client, f"/strommer/horing/{hearing.pk}.atom").entries == []
    organisation = demo_page(FFB)
    ids = [e.id for e in _atom(client, f"/strommer/organisasjon/{organisation.pk}.atom").entries]
    assert f"urn:uuid:{published.key}" not in ids


def test_organisation_feed_has_its_responses_and_position_papers_and_is_linked(client):
    paper = PublishedPositionPaper.objects.filter(withdrawn_at__isnull=True).select_related("organisation").first()
    assert paper is not None, "the demo has a published position paper"
    organisation = paper.organisation
    hearing = make_hearing("atom-org")
    published = accept(make_response(hearing, organisation.slug, slug="atom-org-svar"))
    page = BeautifulSoup(client.get(organisation.url).content, "html.parser")
    link = page.find("link", rel="alternate", type="application/atom+xml")
    assert link is not None and link["href"] == f"/strommer/organisasjon/{organisation.pk}.atom"
    feed = _atom(client, link["href"])
    assert feed.feed.author == organisation.title
    titles = {e.title for e in feed.entries}
    assert paper.title in titles
    assert f"urn:uuid:{published.key}" in [e.id for e in feed.entries]


def test_feeds_of_private_or_unknown_pages_are_404(client):
    assert client.get("/strommer/horing/999999.atom").status_code == 404
    assert client.get("/strommer/organisasjon/999999.atom").status_code == 404
    assert client.get(f"/strommer/horing/{demo_page('hjem').pk}.atom").status_code == 404
