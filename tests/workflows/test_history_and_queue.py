"""Every transition is recorded and shown to those who may see the object (never to others); the
moderation queue lists what waits, oldest first, with a comparison to the published version."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import GroupPagePermission

from portal.access.roles import MODERATORS
from tests.helpers import demo_page, demo_user, make_user, text
from tests.workflows.conftest import org_draft, submit, task_state
from workflows import actions, selectors

pytestmark = pytest.mark.django_db


def _labels(page, username):
    return [(entry.action, entry.user, entry.comment) for entry in selectors.history_for(page, demo_user(username))]


def test_every_transition_is_written_with_who_and_the_comment(draft):
    submit(draft)
    actions.reject(task_state=task_state(draft), user=demo_user("org-leder"), comment="Mer om opplæring.")
    submit(draft)
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"), comment="Nå er det bra.")
    actions.approve(task_state=task_state(draft), user=demo_user("moderator"))
    history = selectors.history_for(draft, demo_user("org-medlem"))
    assert [entry.action for entry in history] == [
        "wagtail.workflow.start",
        "wagtail.workflow.reject",
        "wagtail.workflow.resume",
        "wagtail.workflow.approve",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]
    lead_name = demo_user("org-leder").get_full_name()
    assert (history[1].user, history[1].comment) == (lead_name, "Mer om opplæring.")
    assert history[3].comment == "Nå er det bra."
    assert history[-1].user == demo_user("moderator").get_full_name()
    assert all(entry.timestamp <= timezone.now() for entry in history)


def test_a_withdrawal_and_a_hiding_are_recorded_with_their_reason(draft):
    submit(draft)
    actions.withdraw(page=draft, user=demo_user("org-medlem"), comment="Venter på LKS.")
    actions.record_hidden(obj=draft, user=demo_user("moderator"), comment="Personopplysninger.")
    history = selectors.history_for(draft, demo_user("org-medlem"))
    assert [(entry.action, entry.comment) for entry in history][-2:] == [
        ("portal_workflows.withdraw", "Venter på LKS."),
        ("portal_workflows.hide", "Personopplysninger."),
    ]
    assert "wagtail.workflow.cancel" not in [entry.action for entry in history], "the withdrawal is shown once"


def test_history_is_empty_for_those_who_may_not_see_the_object(draft):
    submit(draft)
    assert selectors.history_for(draft, demo_user("org-medlem"))
    for username in ("urb-leder", "medlemsorg-medlem", "utvalgsleder"):
        assert selectors.history_for(draft, demo_user(username)) == [], username
    from django.contrib.auth.models import AnonymousUser

    assert selectors.history_for(draft, AnonymousUser()) == []


def test_the_reviewing_moderator_sees_the_history_while_it_waits_for_them(draft):
    # Without page permissions of their own (Wagtail's default Moderators group has some on the
    # root; the portal's moderators need none), being the reviewer is what lets them see it.
    GroupPagePermission.objects.filter(group__name=MODERATORS).delete()
    submit(draft)
    assert selectors.history_for(draft, demo_user("moderator")) == []
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    assert selectors.history_for(draft, demo_user("moderator"))


def _render_include(page, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "workflows/history.html" with object=page %}').render(
        Context({"page": page, "request": request})
    )


def test_the_history_include_shows_to_members_and_nothing_to_others(draft):
    submit(draft)
    actions.reject(task_state=task_state(draft), user=demo_user("org-leder"), comment="Grunnen Trollkrabbe.")
    assert "Trollkrabbe" in _render_include(draft, demo_user("org-medlem"))
    assert _render_include(draft, make_user("utenforstaende")).strip() == ""


def test_the_history_page_is_refused_to_outsiders(draft, login, client):
    submit(draft)
    actions.reject(task_state=task_state(draft), user=demo_user("org-leder"), comment="Grunnen Trollkrabbe.")
    url = f"/arbeidsflyt/historikk/{draft.pk}/"
    assert "Trollkrabbe" in text(login("org-medlem").get(url))
    assert client.get("/arbeidsflyt/historikk/999999/").status_code == 404
    for username in ("urb-leder", "medlemsorg-medlem"):
        response = login(username).get(url)
        assert response.status_code == 404 and "Trollkrabbe" not in text(response)
    client.logout()
    assert client.get(url).status_code == 404


def test_the_moderation_queue_lists_what_waits_oldest_first(login):
    older = org_draft(title="Eldste innspill")
    newer = org_draft(title="Nyeste innspill")
    for page in (older, newer):
        submit(page)
        actions.approve(task_state=task_state(page), user=demo_user("org-leder"))
    items = selectors.moderation_queue(demo_user("moderator"))
    titles = [item.title for item in items]
    assert titles.index("Eldste innspill") < titles.index("Nyeste innspill")
    assert [item.waiting_since for item in items] == sorted(item.waiting_since for item in items)
    item = next(item for item in items if item.title == "Eldste innspill")
    assert item.owner.slug == "fellesforbundet-for-brukerorganisasjoner"
    assert item.submitted_by == demo_user("org-medlem").get_full_name()

    body = text(login("moderator").get("/arbeidsflyt/"))
    assert body.index("Eldste innspill") < body.index("Nyeste innspill")
    assert item.compare_url in body


def test_the_queue_shows_each_person_only_what_waits_for_them(draft, login):
    submit(draft)
    assert draft.title in text(login("org-leder").get("/arbeidsflyt/"))
    for username in ("urb-leder", "org-medlem", "moderator"):
        assert draft.title not in text(login(username).get("/arbeidsflyt/")), username


def test_the_header_leads_a_reviewer_to_the_queue_only_while_something_waits_for_them(draft, login):
    """A lead finds what waits from any page; others see no link (nor a count of others' work)."""
    lead = login("org-leder")
    waiting_before = selectors.waiting_review_count(demo_user("org-leder"))
    submit(draft)
    header = text(lead.get("/"))
    assert f'href="/arbeidsflyt/">Til godkjenning ({waiting_before + 1})</a>' in header
    for username in ("urb-leder", "org-medlem"):
        assert 'href="/arbeidsflyt/"' not in text(login(username).get("/")), username


def test_the_comparison_shows_the_change_to_the_reviewer_only(login):
    page = org_draft(title="Innspill om møter", body="<p>Første versjon.</p>")
    page.save_revision(user=demo_user("org-medlem")).publish()
    page.body = "<p>Andre versjon med Blåskjell.</p>"
    page.save_revision(user=demo_user("org-medlem"))
    submit(page)
    actions.approve(task_state=task_state(page), user=demo_user("org-leder"))
    url = f"/arbeidsflyt/{task_state(page).pk}/sammenlign/"
    response = login("moderator").get(url)
    assert response.status_code == 200
    assert "<ins> med Blåskjell.</ins>" in text(response) and "<del>Første</del>" in text(response)
    for username in ("urb-leder", "org-leder"):
        refused = login(username).get(url)
        assert refused.status_code == 404 and "Blåskjell" not in text(refused)


def test_a_response_made_in_the_space_starts_its_history_there_not_as_published(login):
    """A draft response is live in the organisation's space from the start (so members can open it);
    the history calls that its creation, and keeps "Published" for the approval's publication."""
    from portal.hearings import actions as hearing_actions
    from portal.hearings.models import PublishedResponse
    from tests.hearings.helpers import make_hearing

    hearing = make_hearing("historikk-rom")
    ffb = demo_page("fellesforbundet-for-brukerorganisasjoner")
    draft = hearing_actions.response_start(hearing=hearing, organisation=ffb, user=demo_user("org-medlem"))
    draft.parts.create(section_number="1", kind="comment", comment="Vi støtter formålet.")
    draft.save_revision(user=demo_user("org-medlem"))
    hearing_actions.response_submit(response=draft, user=demo_user("org-medlem"))
    actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    actions.approve(task_state=task_state(draft), user=demo_user("moderator"))
    assert PublishedResponse.objects.filter(response=draft).exists()
    labels = [entry.label for entry in selectors.history_for(draft, demo_user("org-medlem"))]
    assert labels[0] == "Opprettet i det private rommet"
    assert labels[-1] == "Publisert" and labels.count("Publisert") == 1
    page = text(login("org-medlem").get(draft.url))
    assert "Opprettet i det private rommet" in page
