"""The public archive, the council page's next meeting and latest minutes, and the iCal/Atom feeds."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.core.feeds import entry_id
from portal.meetings.models import MeetingPage, Minutes
from tests.helpers import demo_page, text
from tests.meetings import factories
from workflows.models import CouncilChairApprovalTask

pytestmark = pytest.mark.django_db


def test_archive_filters_by_council_level_region_and_year(client):
    bergen, national = factories.council(), factories.council(factories.NATIONAL)
    bergen_meeting = MeetingPage.objects.child_of(bergen).live().first()
    national_meeting = MeetingPage.objects.child_of(national).live().first()
    by_level = text(client.get("/moter/?level=local"))
    assert bergen_meeting.title in by_level and bergen_meeting.url in by_level
    assert national_meeting.url not in by_level
    by_council = text(client.get(f"/moter/?council={national.translation_key}"))
    assert national_meeting.url in by_council and bergen_meeting.url not in by_council
    assert bergen_meeting.url in text(client.get("/moter/?region=Bergen"))
    year = bergen_meeting.local_start.year
    assert bergen_meeting.url in text(client.get(f"/moter/?year={year}"))
    assert bergen_meeting.url not in text(client.get(f"/moter/?year={year}&level=national"))


def test_archive_explains_a_bad_filter_value(client):
    response = client.get("/moter/?year=1899&level=galaxy")
    assert response.status_code == 200
    body = text(response)
    assert 'aria-invalid="true"' in body and 'id="id_year_error"' in body


def test_private_meetings_are_not_in_the_archive(client):
    from django.contrib.auth.models import Group

    from tests.helpers import restrict_to_groups

    page = factories.meeting(slug="lukket-mote", items=[{"title": "Sak"}])
    restrict_to_groups(page, Group.objects.create(name="Lukket møtegruppe"))
    assert page.url not in text(client.get("/moter/"))
    assert f"meeting-{page.translation_key}" not in text(client.get("/moter/kalender.ics"))


def test_council_page_shows_next_meeting_and_latest_minutes(client):
    bergen = factories.council()
    body = text(client.get(bergen.url))
    upcoming = MeetingPage.objects.child_of(bergen).live().filter(start__gte=timezone.now()).order_by("start").first()
    latest = Minutes.objects.filter(meeting__in=MeetingPage.objects.child_of(bergen), live=True) \
        .order_by("-meeting__start").first()
    assert upcoming.url in body and latest.meeting.url in body


def test_a_reader_reaches_the_latest_minutes_from_the_council_list(client):
    """Home → councils → the council page, which links the latest minutes, with the placeholder there."""
    councils = text(client.get("/"))
    assert "/brukerutvalg/" in councils
    assert factories.council().url in text(client.get("/brukerutvalg/"))
    latest = Minutes.objects.filter(meeting__in=MeetingPage.objects.child_of(factories.council()),
                                    live=True).order_by("-meeting__start").first()
    assert latest.meeting.url in text(client.get(factories.council().url))


def test_calendar_lists_planned_meetings_with_public_agenda_and_not_held_ones(client):
    planned = factories.meeting(slug="kalender-planlagt", days=12, status="planned", items=[
        {"title": "Åpen sak, med komma; og semikolon"},
        factories.confidential("Hemmelig Brunbjørnhi"),
    ])
    body = text(client.get("/moter/kalender.ics"))
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:meeting-{planned.translation_key}@brukermedvirkning" in body
    assert "Åpen sak\\, med komma\\; og semikolon" in body.replace("\r\n ", "")
    assert "Brunbjørnhi" not in body.replace("\r\n ", "") and "offl. § 13" in body.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    held = MeetingPage.objects.filter(status="held").first()
    assert f"meeting-{held.translation_key}" not in body
    national = text(client.get(f"/moter/utvalg/{factories.council(factories.NATIONAL).pk}/kalender.ics"))
    assert f"meeting-{planned.translation_key}" not in national
    bergen = text(client.get(f"/moter/utvalg/{factories.council().pk}/kalender.ics"))
    assert f"meeting-{planned.translation_key}" in bergen


def test_atom_feed_carries_published_minutes_only(client):
    draft = factories.meeting(slug="atom-utkast", items=[{"title": "Sak"}])
    factories.minutes(draft, {"Sak": ("Kladdetekst Havørnen", "")}, state="awaiting_approval")
    body = text(client.get("/moter/referater.atom"))
    assert body.startswith("<?xml") and "<feed" in body
    assert "Havørnen" not in body
    published = Minutes.objects.filter(live=True).first()
    assert entry_id("minutes", published.meeting.translation_key) in body


def test_feeds_of_unknown_councils_are_404(client):
    assert client.get("/moter/utvalg/999999/kalender.ics").status_code == 404
    assert client.get("/moter/utvalg/999999/referater.atom").status_code == 404
    assert client.get(f"/moter/utvalg/{demo_page('hjem').pk}/referater.atom").status_code == 404


def test_demo_councils_each_have_held_and_planned_meetings_with_a_confidential_item():
    """Every demo council: three published minutes (one with an exempt item and its legal basis), a
    planned meeting with an agenda, and minutes waiting in the chair-approval workflow."""
    for slug in (factories.BERGEN, factories.VESTLAND, factories.NATIONAL):
        meetings = MeetingPage.objects.child_of(factories.council(slug)).live()
        planned = meetings.filter(status="planned", start__gte=timezone.now())
        assert planned.exists() and all(m.agenda_items.exists() for m in planned)
        published = Minutes.objects.filter(meeting__in=meetings, live=True)
        assert published.count() >= 3
        assert any(item.confidential and item.legal_basis for m in published for item in m.meeting.agenda_items.all())
        waiting = [m for m in Minutes.objects.filter(meeting__in=meetings, live=False) if m.workflow_in_progress]
        assert waiting and all(isinstance(m.current_workflow_task, CouncilChairApprovalTask) for m in waiting)
