"""Mitt arbeidsrom: what waits for me, my organisations' drafts by hearing with the same status
words everywhere and the deadline in words, my councils; one draft per organisation and hearing
unless someone deliberately starts a second."""

from __future__ import annotations

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone, translation

from portal.councils.models import CouncilMembership
from portal.hearings.models import HearingResponsePage
from portal.workspace import registry, selectors
from portal.workspace.registry import WaitingItem
from tests.hearings.helpers import FFB, make_hearing, make_response
from tests.helpers import demo_page, demo_user, text
from workflows import actions

pytestmark = pytest.mark.django_db


def _section(body: str, heading_id: str) -> str:
    return body.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_the_header_links_to_the_workspace_after_sign_in(login, client):
    assert 'href="/arbeidsrom/"' not in text(client.get("/"))
    assert client.get("/arbeidsrom/").status_code == 302
    body = text(login("org-medlem").get("/nn/"))
    assert 'href="/nn/arbeidsrom/"' in body and "Mitt arbeidsrom" in body


@pytest.mark.parametrize(("language", "twelve", "one"), [
    ("nb", "12 dager igjen", "1 dag igjen"), ("nn", "12 dagar att", "1 dag att"), ("en", "12 days left", "1 day left"),
])
def test_the_deadline_in_words_with_plural_forms(language, twelve, one):
    now = timezone.now()
    with translation.override(language):
        assert selectors.countdown(now + datetime.timedelta(days=12, hours=3), now) == twelve
        assert selectors.countdown(now + datetime.timedelta(days=1, hours=3), now) == one


def test_drafts_are_grouped_by_hearing_with_status_and_deadline(login):
    hearing = make_hearing("arbeidsrom-status", days=12.2)
    response = make_response(hearing, slug="svar-arbeidsrom-status")
    body = text(login("org-leder").get("/arbeidsrom/"))
    drafts = _section(body, "responses-heading")
    assert hearing.title in drafts and "12 dager igjen" in drafts and "Utkast" in drafts
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.submit_for_moderation(page=response, user=demo_user("org-medlem"))
    drafts = _section(text(login("org-medlem").get("/arbeidsrom/")), "responses-heading")
    assert "Til godkjenning hos leder" in drafts
    with TestCase.captureOnCommitCallbacks(execute=True):
        response.refresh_from_db()
        actions.approve(task_state=response.current_workflow_state.current_task_state, user=demo_user("org-leder"))
    assert "Til moderering" in _section(text(login("org-medlem").get("/arbeidsrom/")), "responses-heading")
    # Another organisation's member sees none of it.
    assert hearing.title not in text(login("urb-leder").get("/arbeidsrom/"))


def test_what_waits_for_the_lead_links_to_the_portal_and_goes_away_once_approved(login):
    hearing = make_hearing("arbeidsrom-venter")
    response = make_response(hearing, slug="svar-arbeidsrom-venter", user=demo_user("org-medlem"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.submit_for_moderation(page=response, user=demo_user("org-medlem"))
    response.refresh_from_db()
    state = response.current_workflow_state.current_task_state
    waiting = _section(text(login("org-leder").get("/arbeidsrom/")), "waiting-heading")
    # The editor's review page: the comparison and the decision, on the portal.
    assert f'href="/arbeidsrom/utkast/{response.pk}/godkjenning/"' in waiting and "/admin/" not in waiting
    assert "Godkjenn som leder" in waiting
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.approve(task_state=state, user=demo_user("org-leder"))
    assert f"/arbeidsrom/utkast/{response.pk}/godkjenning/" not in text(login("org-leder").get("/arbeidsrom/"))


def test_councils_show_for_current_members_not_past_ones(login):
    body = _section(text(login("utvalgsmedlem").get("/arbeidsrom/")), "councils-heading")
    bergen = demo_page("brukerutvalget-i-bergen")
    assert bergen.title in body and "rom/" in body
    past = _section(text(login("tidligere-medlem").get("/arbeidsrom/")), "councils-heading")
    assert bergen.title not in past and "/rom/" not in past
    assert CouncilMembership.objects.filter(user=demo_user("tidligere-medlem")).exists()


def test_a_registered_source_adds_items_and_nothing_the_person_may_not_see():
    private = HearingResponsePage.objects.filter(path__startswith=demo_page(FFB).path).first()

    def mentions(user):
        return [
            WaitingItem(kind="mention", label="Nevnte deg", title="Synlig omtale", url="/arbeidsrom/utkast/1/"),
            WaitingItem(kind="mention", label="Nevnte deg", title="Skjult omtale", url="/x/", obj=private),
        ]

    registry.register_waiting("test mentions", mentions)
    try:
        titles = [item.title for item in selectors.waiting_for(demo_user("urb-leder"))]
        assert "Synlig omtale" in titles and "Skjult omtale" not in titles
        assert "Skjult omtale" in [item.title for item in selectors.waiting_for(demo_user("org-medlem"))]
    finally:
        registry.unregister_waiting("test mentions")


def test_starting_a_second_response_asks_first(login):
    hearing = make_hearing("arbeidsrom-andre")
    first = make_response(hearing, slug="svar-arbeidsrom-andre")
    client = login("org-medlem")
    organisation = demo_page(FFB)
    start = hearing.url + "nytt-svar/"
    asked = client.post(start, {"organisation": organisation.pk})
    assert asked.status_code == 200
    body = text(asked)
    assert "Vil du starte et nytt utkast" in body or "andre utkast" in body
    assert first.url in body
    assert HearingResponsePage.objects.filter(hearing=hearing).count() == 1, "nothing created before the answer"
    created = client.post(start, {"organisation": organisation.pk, "another": "yes"})
    assert created.status_code == 302
    drafts = HearingResponsePage.objects.filter(hearing=hearing).order_by("pk")
    assert drafts.count() == 2
    assert "2" in drafts.last().title and drafts.last().slug != first.slug
