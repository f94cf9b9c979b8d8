"""A council's public page: level, region, chain of parent councils, mandate and composition, with
past members listed as past, and never anyone's contact details."""

from __future__ import annotations

import pytest

from tests.councils.helpers import BERGEN, seat
from tests.helpers import demo_user, text

pytestmark = pytest.mark.django_db


def test_public_page_shows_level_region_parent_chain_and_composition(client):
    body = text(client.get(f"/brukerutvalg/{BERGEN}/"))
    assert "Bergen" in body
    # The chain goes local → county → national.
    assert "Brukerutvalget i Vestland" in body and "Sentralt brukerutvalg" in body
    assert body.index("Brukerutvalget i Vestland") < body.index("Sentralt brukerutvalg")
    assert "Kari Kleppe" in body  # the chair
    assert "Fellesforbundet for brukerorganisasjoner" in body  # the organisation she represents


def test_past_members_are_listed_separately_as_past(client):
    body = text(client.get(f"/brukerutvalg/{BERGEN}/"))
    past_section = body.split('id="past-members-heading"')[1]
    current_section = body.split('id="members-heading"')[1].split('id="past-members-heading"')[0]
    assert "Berit Bakke" in past_section
    assert "Berit Bakke" not in current_section


def test_contact_details_are_never_on_the_public_page(client):
    seat(BERGEN, "kontakt-test", email="synlig.aldri@example.org", first_name="Vera", last_name="Vik")
    for url in (f"/brukerutvalg/{BERGEN}/", f"/nn/brukerutvalg/{BERGEN}/", f"/en/brukerutvalg/{BERGEN}/"):
        body = text(client.get(url))
        assert "Vera Vik" in body or url != f"/brukerutvalg/{BERGEN}/"
        assert "synlig.aldri@example.org" not in body
        assert demo_user("utvalgsleder").email not in body


def test_link_to_the_space_is_shown_to_members_only(client, login):
    assert "/rom/" not in text(client.get(f"/brukerutvalg/{BERGEN}/"))
    assert f"/brukerutvalg/{BERGEN}/rom/" in text(login("utvalgsmedlem").get(f"/brukerutvalg/{BERGEN}/"))
