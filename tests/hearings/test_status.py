"""A hearing's status follows publication, the clock, withdrawal and the outcome, with no job."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from portal.hearings.models import HearingOutcome, HearingPage
from tests.hearings.helpers import make_hearing

pytestmark = pytest.mark.django_db


def test_open_until_the_deadline_then_closed_the_moment_it_passes():
    hearing = make_hearing("status-frist", days=2)
    deadline = hearing.deadline
    assert hearing.status_at(deadline - datetime.timedelta(seconds=1)) == "open"
    assert hearing.status_at(deadline) == "closed"
    assert hearing.status_at(deadline + datetime.timedelta(days=1)) == "closed"


def test_status_uses_the_current_time_when_not_given(monkeypatch):
    hearing = make_hearing("status-klokke", days=1)
    assert hearing.status == "open"
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert hearing.status == "closed"
    assert hearing.get_status_display() == str(HearingPage.Status.CLOSED.label)


def test_an_unpublished_hearing_is_a_draft():
    hearing = make_hearing("status-utkast")
    hearing.unpublish()
    hearing.refresh_from_db()
    assert hearing.status == "draft"


def test_a_published_outcome_concludes_the_hearing_in_every_language():
    hearing = make_hearing("status-avsluttet", days=-3)
    assert hearing.status == "closed"
    HearingOutcome.objects.create(hearing_key=hearing.translation_key, summary="Vedtatt.", published_at=timezone.now())
    assert HearingPage.objects.get(pk=hearing.pk).status == "concluded"


def test_an_unpublished_outcome_does_not_conclude():
    hearing = make_hearing("status-uferdig", days=-3)
    HearingOutcome.objects.create(hearing_key=hearing.translation_key, summary="Under arbeid.")
    assert HearingPage.objects.get(pk=hearing.pk).status == "closed"


def test_withdrawal_wins_over_open_and_takes_effect_at_its_time():
    hearing = make_hearing("status-trukket", days=10)
    when = timezone.now() + datetime.timedelta(days=1)
    hearing.withdrawn_at = when
    hearing.save()
    assert hearing.status_at(when - datetime.timedelta(minutes=1)) == "open"
    assert hearing.status_at(when) == "withdrawn"


def test_the_response_deadline_is_the_earlier_of_deadline_and_withdrawal():
    from tests.hearings.helpers import make_response

    hearing = make_hearing("status-frist-svar", days=10)
    response = make_response(hearing, slug="svar-frist-svar")
    assert response.workflow_deadline() == hearing.deadline
    hearing.withdrawn_at = timezone.now() - datetime.timedelta(hours=1)
    hearing.save()
    assert response.workflow_deadline() == hearing.withdrawn_at


def test_demo_has_an_open_a_closed_and_a_concluded_hearing():
    statuses = {page.slug: page.status for page in HearingPage.objects.filter(locale__language_code="nb")}
    assert statuses["strategi-for-brukermedvirkning-2027-2030"] == "open"
    assert statuses["retningslinjer-for-godtgjoring"] == "closed"
    assert statuses["opplaeringsprogram-for-brukerutvalg"] == "concluded"


def test_hearing_owners_may_create_hearings_under_the_index():
    from tests.helpers import demo_page, demo_user

    index = demo_page("horinger")
    assert index.permissions_for_user(demo_user("horingseier")).can_add_subpage()
    assert not index.permissions_for_user(demo_user("org-medlem")).can_add_subpage()
