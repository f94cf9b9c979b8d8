"""Position papers: drafted privately in the organisation's space, made public only when the
organisation's lead and a moderator have approved them, then listed with topics."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from portal.positions.models import PublishedPositionPaper
from tests.helpers import demo_page, demo_user, text
from tests.positions.helpers import FFB, approve_all, draft, published

pytestmark = pytest.mark.django_db

INDEX = "/standpunkt/"


def test_a_draft_shared_inside_the_space_is_seen_by_members_only_and_is_not_published(client, login):
    page = draft(body="<p>Utkastet nevner Kvitsjøplanen.</p>")
    # Published inside the space (members read it there) without the workflow: still private.
    page.get_latest_revision().publish(skip_permission_checks=True)
    assert "Kvitsjøplanen" not in text(client.get(page.url))
    assert "Kvitsjøplanen" not in text(login("urb-leder").get(page.url))
    assert "Kvitsjøplanen" in text(login("org-medlem").get(page.url))
    assert not PublishedPositionPaper.objects.filter(source=page).exists()
    client.logout()
    assert "Kvitsjøplanen" not in text(client.get(INDEX))


def test_approval_by_lead_and_moderator_makes_the_public_copy_in_list_and_detail(client):
    page = draft(title="Standpunkt om Varangerplanen", summary="Sammendrag om Varangerplanen.",
                 body='<p>Hele teksten om Varangerplanen.</p><script>alert(1)</script>')
    copy = approve_all(page)
    assert copy.organisation.slug == FFB
    listing = text(client.get(INDEX))
    assert "Standpunkt om Varangerplanen" in listing and copy.get_absolute_url() in listing
    detail = client.get(copy.get_absolute_url())
    assert detail.status_code == 200
    assert "Hele teksten om Varangerplanen." in text(detail)
    assert "<script>alert(1)" not in text(detail)
    # The draft itself stays in the private space.
    assert "Hele teksten om Varangerplanen." not in text(client.get(page.url))


def test_only_one_step_approved_publishes_nothing(client):
    from workflows import actions

    page = draft(title="Halvveis godkjent standpunkt")
    actions.submit_for_moderation(page=page, user=demo_user("org-medlem"))
    actions.approve(task_state=page.current_workflow_state.current_task_state, user=demo_user("org-leder"))
    assert not PublishedPositionPaper.objects.filter(source=page).exists()
    assert "Halvveis godkjent standpunkt" not in text(client.get(INDEX))


def test_an_approved_new_version_updates_the_public_copy(client):
    page = draft(title="Første versjon av standpunktet")
    copy = approve_all(page)
    page.title = "Andre versjon av standpunktet"
    page.save_revision(user=demo_user("org-medlem"))
    approve_all(page)
    assert PublishedPositionPaper.objects.filter(source=page).count() == 1
    assert "Andre versjon av standpunktet" in text(client.get(copy.get_absolute_url()))


def test_the_topic_filter_shows_only_papers_on_that_topic(client):
    published(title="Standpunkt om Lofotmodellen", topics=("lofotemne",))
    published(title="Standpunkt om Trøndermodellen", topics=("trønderemne",))
    page = text(client.get(INDEX, {"tema": "lofotemne"}))
    assert "Standpunkt om Lofotmodellen" in page
    assert "Standpunkt om Trøndermodellen" not in page
    # The topics are offered as a labelled choice.
    assert 'for="position-topic"' in page and 'value="trønderemne"' in page


def test_an_unknown_topic_gives_a_clear_message_and_every_paper(client):
    published(title="Standpunkt om Senjamodellen", topics=("senjaemne",))
    response = client.get(INDEX, {"tema": "finnes-ikke-emne"})
    assert response.status_code == 200
    assert 'role="alert"' in text(response) and "finnes-ikke-emne" in text(response)
    assert "Standpunkt om Senjamodellen" in text(response)


def test_an_unknown_id_is_not_found(client):
    assert client.get(INDEX + "987654321/").status_code == 404
    assert client.get(INDEX + "ikke-et-tall/").status_code == 404


def test_unpublishing_the_draft_withdraws_the_public_copy(client):
    page = draft(title="Standpunkt om Hardangermodellen")
    copy = approve_all(page)
    page.specific.unpublish()
    assert client.get(copy.get_absolute_url()).status_code == 404
    assert "Standpunkt om Hardangermodellen" not in text(client.get(INDEX))


def test_the_organisation_page_lists_its_published_papers_only():
    from django.contrib.auth.models import AnonymousUser

    published(title="FFBs standpunkt om Ryfylkemodellen")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template("{% load position_tags %}{% organisation_position_papers organisation %}").render(
        Context({"request": request, "organisation": demo_page(FFB)}))
    assert "FFBs standpunkt om Ryfylkemodellen" in html
    assert "Brukerutvalgene trenger et tydeligere mandat" not in html  # URB's demo paper


def test_the_demo_has_two_published_papers_in_the_public_list(client):
    page = text(client.get(INDEX))
    assert "Digitale tjenester må være universelt utformet fra første dag" in page
    assert "Brukerutvalgene trenger et tydeligere mandat" in page


def test_published_papers_are_found_by_search_and_drafts_are_not():
    from tests.search.helpers import run

    copy = published(title="Standpunkt om Jærmodellen", body="<p>Jærmodellen gir bedre brukermedvirkning.</p>")
    urls = {hit.url for hit in run("Jærmodellen").hits}
    assert copy.get_absolute_url() in urls
    draft(title="Utkast om Snåsamodellen", body="<p>Snåsamodellen.</p>")
    assert run("Snåsamodellen").total == 0
