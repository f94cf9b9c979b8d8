"""Meetings and agendas: case numbers per council and year, and refusing bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.meetings import actions
from portal.meetings.forms import MeetingPageForm
from portal.meetings.models import AgendaItem, MeetingPage
from tests.helpers import demo_user
from tests.meetings import factories

pytestmark = pytest.mark.django_db


def test_case_numbers_continue_per_council_and_year():
    """A new agenda item gets the next free number of its council in that year, e.g. "9/2026"."""
    bergen = factories.council()
    year = factories.at(-3).year
    before = AgendaItem.objects.filter(council=bergen, year=year).order_by("-number").first()
    page = factories.meeting(slug="nummer-test", days=-3, items=[{"title": "Første"}, {"title": "Andre"}])
    numbers = sorted(page.agenda_items.values_list("number", flat=True))
    start = (before.number if before else 0) + 1
    assert numbers == [start, start + 1]
    assert page.agenda_items.get(title="Andre").case_number == f"{start + 1}/{year}"


def test_each_council_numbers_its_own_cases():
    national = factories.meeting(slug="nasjonal-nummer", council_slug=factories.NATIONAL, days=-2,
                                 items=[{"title": "Sak"}])
    item = national.agenda_items.get()
    highest = AgendaItem.objects.filter(council=item.council, year=item.year).exclude(pk=item.pk).order_by("-number")
    assert item.number == (highest.first().number + 1 if highest.exists() else 1)
    assert item.council.slug == factories.NATIONAL


def test_a_case_number_used_twice_in_a_council_year_is_refused():
    page = factories.meeting(slug="dobbel", days=5, status="planned", items=[{"title": "Sak"}])
    taken = page.agenda_items.get().number
    with pytest.raises(ValidationError) as error:
        actions.agenda_item_add(meeting=page, user=factories.admin(), title="Ny sak", number=taken)
    assert "number" in error.value.error_dict
    assert page.agenda_items.count() == 1


def test_admin_form_refuses_duplicate_number_and_planned_meeting_in_the_past():
    bergen = factories.council()
    existing = AgendaItem.objects.filter(council=bergen).first()
    form_class = MeetingPage.get_edit_handler().get_form_class()
    start = timezone.localtime(existing.page.start) - datetime.timedelta(hours=1)  # same year, in the past
    data = {
        "title": "Feil møte", "slug": "feil-mote", "start": start.strftime("%Y-%m-%d %H:%M"), "status": "planned",
        "place": "", "online_link": "", "end": "",
        "agenda_items-TOTAL_FORMS": "1", "agenda_items-INITIAL_FORMS": "0", "agenda_items-MIN_NUM_FORMS": "0",
        "agenda_items-MAX_NUM_FORMS": "1000",
        "agenda_items-0-number": str(existing.number), "agenda_items-0-title": "Sak", "agenda_items-0-description": "",
        "agenda_items-0-raised_by": "council", "agenda_items-0-ORDER": "1", "agenda_items-0-legal_basis": "",
        "attendance-TOTAL_FORMS": "0", "attendance-INITIAL_FORMS": "0", "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    }
    form = form_class(data, instance=MeetingPage(), parent_page=bergen, for_user=factories.admin())
    assert issubclass(form_class, MeetingPageForm)
    assert not form.is_valid()
    assert "start" in form.errors
    assert "number" in form.formsets["agenda_items"].forms[0].errors


def test_a_planned_meeting_must_be_in_the_future():
    with pytest.raises(ValidationError):
        actions.meeting_plan(council=factories.council(), user=demo_user("utvalgssekretaer"), title="For sent",
                             start=factories.at(-1))
    assert not MeetingPage.objects.filter(title="For sent").exists()


def test_the_secretary_plans_a_meeting_and_adds_items_but_an_ordinary_member_may_not():
    secretary = demo_user("utvalgssekretaer")
    page = actions.meeting_plan(council=factories.council(), user=secretary, title="Nytt møte",
                                start=factories.at(20), place="Møterom Fløyen")
    item = actions.agenda_item_add(meeting=page, user=secretary, title="Tilgjengelighet")
    assert page.live and item.number and item.case_number.endswith(str(factories.at(20).year))
    with pytest.raises(PermissionDenied):
        actions.agenda_item_add(meeting=page, user=demo_user("utvalgsmedlem"), title="Uten lov")


def test_confidential_item_needs_a_legal_basis():
    page = factories.meeting(slug="hjemmel", days=3, status="planned")
    with pytest.raises(ValidationError) as error:
        actions.agenda_item_add(meeting=page, user=factories.admin(), title="Hemmelig", confidential=True)
    assert "legal_basis" in error.value.error_dict
