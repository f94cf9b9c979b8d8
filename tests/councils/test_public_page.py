"""A council's public page: level, region, chain of parent councils, mandate and composition, with
past members listed as past, and never anyone's contact details."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from portal.councils.models import CouncilMembership
from tests.councils.helpers import seat
from tests.factories.councils import CouncilMembershipFactory, council_chain, translated
from tests.factories.organisations import OrganisationPageFactory
from tests.factories.users import UserFactory
from tests.helpers import text

# Built with factories on the site skeleton (tests/conftest.py): no demo needed.
pytestmark = [pytest.mark.django_db, pytest.mark.factories]


@pytest.fixture
def bergen():
    """A local council in a chain up to the national one, in three languages: its chair represents
    an organisation, a past member's period has ended, and one member sits on it now."""
    _, _, local = council_chain("offentlig")
    translated(local, "nn", "en")
    ffb = OrganisationPageFactory(title="Fellesforbundet for brukerorganisasjoner", slug="offentlig-ffb")
    CouncilMembershipFactory(council=local, role=CouncilMembership.Role.CHAIR, organisation=ffb,
                             user=UserFactory(username="offentlig-leder", first_name="Kari", last_name="Kleppe"))
    CouncilMembershipFactory(council=local, user=UserFactory(username="offentlig-tidligere", first_name="Berit",
                                                             last_name="Bakke"),
                             start=timezone.localdate() - datetime.timedelta(days=700),
                             end=timezone.localdate() - datetime.timedelta(days=30))
    CouncilMembershipFactory(council=local, user=UserFactory(username="offentlig-medlem"))
    return local


def test_public_page_shows_level_region_parent_chain_and_composition(client, bergen):
    body = text(client.get(bergen.url))
    assert "Bergen" in body
    # The chain goes local → county → national.
    assert "Brukerutvalget i Vestland" in body and "Sentralt brukerutvalg" in body
    assert body.index("Brukerutvalget i Vestland") < body.index("Sentralt brukerutvalg")
    assert "Kari Kleppe" in body  # the chair
    assert "Fellesforbundet for brukerorganisasjoner" in body  # the organisation she represents


def test_past_members_are_listed_separately_as_past(client, bergen):
    body = text(client.get(bergen.url))
    past_section = body.split('id="past-members-heading"')[1]
    current_section = body.split('id="members-heading"')[1].split('id="past-members-heading"')[0]
    assert "Berit Bakke" in past_section
    assert "Berit Bakke" not in current_section


def test_contact_details_are_never_on_the_public_page(client, bergen):
    seat(bergen.slug, "kontakt-test", email="synlig.aldri@example.org", first_name="Vera", last_name="Vik")
    urls = [bergen.url, f"/nn{bergen.url}", f"/en{bergen.url}"]
    for url in urls:
        body = text(client.get(url))
        assert "Vera Vik" in body or url != bergen.url
        assert "synlig.aldri@example.org" not in body
        assert UserFactory(username="offentlig-leder").email not in body


def test_link_to_the_space_is_shown_to_members_only(client, login, bergen):
    assert "/rom/" not in text(client.get(bergen.url))
    assert f"{bergen.url}rom/" in text(login("offentlig-medlem").get(bergen.url))


def test_parent_chain_and_councils_below_follow_what_is_published(client, django_capture_on_commit_callbacks):
    """The chain and the councils below are kept between requests (per content generation): a
    council unpublished or renamed since the last visit is shown as it is now, not as it was."""
    with django_capture_on_commit_callbacks(execute=True):  # as if committed: kept from here on
        national, county, local = council_chain("endres")
    assert "Brukerutvalget i Bergen" in text(client.get(county.url))
    assert "Sentralt brukerutvalg" in text(client.get(local.url))
    with django_capture_on_commit_callbacks(execute=True):
        local.unpublish()
        national.title = "Nasjonalt brukerutvalg"
        national.save_revision().publish()
    below = text(client.get(county.url)).split('id="children-heading"')
    assert len(below) == 1 or "Brukerutvalget i Bergen" not in below[1]
    chain = text(client.get(county.url))
    assert "Nasjonalt brukerutvalg" in chain and "Sentralt brukerutvalg" not in chain
