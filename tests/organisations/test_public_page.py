"""An organisation's public profile: who it is, how to reach it, its umbrella and member
organisations, and what it has published (never its drafts)."""

from __future__ import annotations

import pytest

from portal.core.models import StandardPage
from portal.organisations import selectors
from portal.organisations.models import OrganisationDraftPage
from tests.helpers import demo_page, demo_user, restrict_to_groups, text

pytestmark = pytest.mark.django_db

FFB = "fellesforbundet-for-brukerorganisasjoner"
FSA = "foreningen-for-synshemmede-i-arbeidslivet"


def test_profile_shows_name_contact_umbrella_and_member_organisations(client):
    body = text(client.get(demo_page(FFB).url))
    assert "Fellesforbundet for brukerorganisasjoner" in body and "(FFB)" in body
    assert 'href="https://ffb.example.no"' in body
    assert 'href="mailto:post@ffb.example.no"' in body
    assert "Foreningen for synshemmede i arbeidslivet" in body  # a member organisation
    assert "Landsforeningen for kronisk syke" in body

    member_body = text(client.get(demo_page(FSA).url))
    assert f'href="{demo_page(FFB).url}"' in member_body  # its umbrella, linked


def test_profile_links_the_umbrella_in_the_readers_language(client):
    body = text(client.get(demo_page(FSA, "nn").url))
    assert f'href="{demo_page(FFB, "nn").url}"' in body


def test_members_get_links_to_the_space_and_member_list_others_do_not(client, login):
    space_url = selectors.space_for(organisation=demo_page(FFB)).url
    assert space_url not in text(client.get(demo_page(FFB).url))
    assert space_url not in text(login("urb-leder").get(demo_page(FFB).url))
    body = text(login("org-medlem").get(demo_page(FFB).url))
    assert space_url in body and demo_page(FFB).members_url in body


def test_member_list_is_refused_to_outsiders(client, login):
    url = demo_page(FFB).members_url
    assert client.get(url).status_code == 302
    assert login("urb-leder").get(url).status_code == 403
    assert login("medlemsorg-medlem").get(url).status_code == 403


@pytest.fixture
def publications():
    """Registers a source of publications as a later issue would, and removes it afterwards."""
    published: list = []
    selectors.register_publications("test", lambda organisation: StandardPage.objects.filter(
        pk__in=[page.pk for page in published]))
    yield published
    selectors.unregister_publications("test")


def _standard_page(parent, title: str) -> StandardPage:
    page = StandardPage(title=title, slug=title.lower().replace(" ", "-"))
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_published_list_shows_what_the_sources_register_and_never_drafts_or_private_pages(client, publications):
    public = _standard_page(demo_page("standpunkt"), "Standpunkt om ventetid")
    private = _standard_page(demo_page("hjem"), "Lukket standpunkt")
    from django.contrib.auth.models import Group

    restrict_to_groups(private, Group.objects.create(name="Lukket"))
    unpublished = _standard_page(demo_page("standpunkt"), "Upublisert standpunkt")
    unpublished.unpublish()
    publications.extend([public, private, unpublished])
    body = text(client.get(demo_page(FFB).url))
    assert "Standpunkt om ventetid" in body
    assert "Lukket standpunkt" not in body
    assert "Upublisert standpunkt" not in body


def test_published_list_never_includes_pages_inside_a_space_whatever_a_source_returns():
    draft = OrganisationDraftPage.objects.child_of(selectors.space_for(organisation=demo_page(FFB))).first()
    selectors.register_publications("careless", lambda organisation: OrganisationDraftPage.objects.filter(pk=draft.pk))
    try:
        # Even a member, who may view the draft, does not see it listed as published.
        listed = selectors.published_by(organisation=demo_page(FFB), user=demo_user("org-medlem"))
        assert draft.pk not in [page.pk for page in listed]
    finally:
        selectors.unregister_publications("careless")


def test_published_list_prefers_the_readers_language(client, publications):
    from wagtail.models import Locale

    page = _standard_page(demo_page("standpunkt"), "Standpunkt om tolketjenester")
    translation = page.copy_for_translation(Locale.objects.get(language_code="nn"))
    translation.title = "Standpunkt om tolketenester"
    translation.save_revision().publish()
    publications.append(page)
    publications.append(translation)
    body = text(client.get(demo_page(FFB, "nn").url))
    assert "Standpunkt om tolketenester" in body
    assert "Standpunkt om tolketjenester" not in body


def test_empty_published_list_says_so(client):
    assert "Organisasjonen har ikke publisert noe ennå." in text(client.get(demo_page(FSA).url))
