"""Finding the page for a URL (portal/core/lookups.py keeps where each URL led per content
generation): readers always reach what is published now. A renamed, unpublished, moved or newly
private page is seen as such on the next request, not as the route remembered from before."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.helpers import demo_page, restrict_to_groups, text

pytestmark = pytest.mark.django_db


def visited(client, url: str):
    """The page visited twice: the second answer comes from the remembered route."""
    client.get(url)
    return client.get(url)


def test_a_meeting_is_found_again_with_its_own_content(client):
    meeting = demo_page("brukerutvalget-i-bergen").get_children().live().specific().first()
    response = visited(client, meeting.url)
    assert response.status_code == 200
    assert response.context["page"].pk == meeting.pk
    assert type(response.context["page"]) is type(meeting)


def test_a_renamed_page_is_found_at_its_new_address_and_the_old_one_leads_there(
        client, django_capture_on_commit_callbacks):
    page = demo_page("tilgjengelighet")
    old = page.url
    assert visited(client, old).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        page.slug = "tilgjengelighetserklaering"
        page.save_revision().publish()
    page.refresh_from_db()
    # Wagtail's automatic redirect, not the page served from the route remembered before.
    assert client.get(old)["Location"] == page.url
    assert visited(client, page.url).status_code == 200


def test_an_unpublished_page_is_not_found(client, django_capture_on_commit_callbacks):
    hearing = demo_page("strategi-for-brukermedvirkning-2027-2030")
    assert visited(client, hearing.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        hearing.unpublish()
    assert client.get(hearing.url).status_code == 404


def test_a_page_made_private_after_it_was_read_asks_for_sign_in(client, django_capture_on_commit_callbacks):
    council = demo_page("brukerutvalget-i-bergen")
    assert visited(client, council.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        restrict_to_groups(council, Group.objects.create(name="Lukket gruppe"))
    refused = client.get(council.url)
    assert refused.status_code == 302
    assert "/accounts/login/" in refused["Location"]


def test_a_moved_page_is_found_under_its_new_parent(client, django_capture_on_commit_callbacks):
    page = demo_page("tilgjengelighet")
    old = page.url
    assert visited(client, old).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        page.move(demo_page("personvern"), pos="last-child")
    page.refresh_from_db()
    assert client.get(old)["Location"] == page.url
    assert visited(client, page.url).status_code == 200


def test_sub_routes_and_home_pages_in_each_language_still_route(client, login):
    council = demo_page("brukerutvalget-i-bergen")
    # A council's private space is the council page's own route, not a child page.
    assert visited(client, council.space_url("space")).status_code == 302
    assert '<html lang="en">' in text(visited(client, "/en/"))
    assert '<html lang="nb">' in text(visited(client, "/"))
    member = login("utvalgsmedlem")
    assert visited(member, council.space_url("space")).status_code == 200


def test_pages_below_a_council_are_found_after_its_space_was_visited(client, login):
    """Visiting the space remembers the council page (not the space's own address): a meeting below
    the council is still that meeting, and the space still the council's space."""
    council = demo_page("brukerutvalget-i-bergen")
    meeting = council.get_children().live().specific().first()
    member = login("utvalgsmedlem")
    space = visited(member, council.space_url("space"))
    assert space.status_code == 200
    assert space.context["page"].pk == council.pk
    found = visited(member, meeting.url)
    assert found.status_code == 200
    assert found.context["page"].pk == meeting.pk


def test_a_renamed_councils_space_is_found_only_at_its_new_address(login, django_capture_on_commit_callbacks):
    council = demo_page("brukerutvalget-i-bergen")
    member = login("utvalgsmedlem")
    old = council.space_url("space")
    assert visited(member, old).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        council.slug = "brukerutvalget-bergen"
        council.save_revision().publish()
    council.refresh_from_db()
    assert member.get(old).status_code == 404
    assert visited(member, council.space_url("space")).status_code == 200
