"""The public API lists live public pages only: no drafts, no private pages, no translations or
aliases of private pages, whoever is logged in."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale

from portal.core.models import StandardPage
from tests.helpers import demo_page, demo_user, restrict_to_groups

pytestmark = pytest.mark.django_db


def _api_titles(client) -> set[str]:
    response = client.get("/api/v2/pages/?limit=100")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def _child(parent, title, *, live=True):
    page = StandardPage(title=title, slug=title.lower().replace(" ", "-"), live=live)
    parent.add_child(instance=page)
    return page


def test_api_lists_live_public_pages(client):
    titles = _api_titles(client)
    assert "Brukerutvalget i Bergen" in titles
    assert "Bergen local user council" in titles


def test_api_hides_drafts_and_private_pages_even_from_their_members(client):
    home = demo_page("hjem")
    _child(home, "Utkast som ikke er publisert", live=False)
    private = _child(home, "Internt notat for utvalget")
    group = Group.objects.create(name="Utvalgets medlemmer")
    restrict_to_groups(private, group)
    member = demo_user("utvalgsmedlem")
    member.groups.add(group)
    client.force_login(member)
    titles = _api_titles(client)
    assert "Utkast som ikke er publisert" not in titles
    assert "Internt notat for utvalget" not in titles


def test_api_hides_translation_of_page_made_private_after_translating(client):
    home = demo_page("hjem")
    page = _child(home, "Referat fra arbeidsgruppen")
    translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.title = "Minutes of the working group"
    translation.save_revision().publish()
    restrict_to_groups(page, Group.objects.create(name="Arbeidsgruppen"))
    titles = _api_titles(client)
    assert "Referat fra arbeidsgruppen" not in titles
    assert "Minutes of the working group" not in titles


def test_api_hides_alias_of_private_page(client):
    home = demo_page("hjem")
    private = _child(home, "Hemmelig sak")
    restrict_to_groups(private, Group.objects.create(name="Lukket gruppe"))
    alias = private.create_alias(parent=demo_page("horinger"), update_slug="alias-av-hemmelig-sak")
    assert alias.live
    assert "Hemmelig sak" not in _api_titles(client)
