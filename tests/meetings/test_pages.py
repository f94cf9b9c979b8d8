"""Meeting pages in the editor and in every language."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from portal.meetings.models import MeetingPage
from search.models import SearchEntry
from tests.helpers import text
from tests.meetings import factories

pytestmark = pytest.mark.django_db


def test_meetings_can_be_added_under_a_council_in_the_page_editor(login):
    admin = login("admin")
    bergen = factories.council()
    response = admin.get(f"/admin/pages/add/meetings/meetingpage/{bergen.pk}/")
    assert response.status_code == 200
    assert "agenda_items-TOTAL_FORMS" in text(response)
    assert MeetingPage in bergen.specific_class.allowed_subpage_models()
    assert admin.get(f"/admin/pages/add/meetings/meetingpage/{factories.demo_page('hjem').pk}/").status_code in (
        302, 403)


def test_a_translated_meeting_keeps_its_agenda_and_shows_the_same_minutes(client):
    page = factories.meeting(slug="oversatt-mote", items=[{"title": "Tilgjengelighet"}])
    factories.minutes(page, {"Tilgjengelighet": ("Drøftet tilgjengelighet", "Ramper bygges")})
    nn = page.copy_for_translation(Locale.objects.get(language_code="nn"), copy_parents=True)
    nn.save_revision().publish()
    nn = MeetingPage.objects.get(pk=nn.pk)
    source_item, copied = page.agenda_items.get(), nn.agenda_items.get()
    assert copied.case_number == source_item.case_number and copied.council_id != source_item.council_id
    assert "Ramper bygges" in text(client.get(nn.url))


def test_council_page_in_nynorsk_lists_the_meetings(client):
    body = text(client.get(factories.council().get_translation(Locale.objects.get(language_code="nn")).url))
    assert "/brukerutvalg/brukerutvalget-i-bergen/mote-" in body


def test_search_entry_of_a_meeting_is_dated_by_the_meeting_and_faceted_by_council():
    page = factories.meeting(slug="sokbar", days=-4, items=[{"title": "Universell utforming"}])
    entry = SearchEntry.objects.filter(url=page.url).first()
    assert entry is not None
    assert entry.date == page.start
    assert entry.council_key == str(factories.council().translation_key)
