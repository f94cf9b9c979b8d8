"""Cases across levels: referral to another council, taking it up, linked minutes and the public trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.meetings import actions
from portal.meetings.models import CaseReferral
from tests.helpers import demo_user, text
from tests.meetings import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred():
    bergen = factories.meeting(slug="henvis-kilde", items=[{"title": "Ventetid på tolk"}])
    factories.minutes(bergen, {"Ventetid på tolk": ("Lang ventetid", "Løftes til fylket")})
    item = bergen.agenda_items.get()
    referral = actions.case_refer(item=item, to_council=factories.council(factories.VESTLAND),
                                  user=demo_user("utvalgssekretaer"), note="Internt notat om tolketjenesten")
    return bergen, item, referral


def test_a_case_cannot_be_referred_to_its_own_council():
    page = factories.meeting(slug="henvis-selv", items=[{"title": "Sak"}])
    with pytest.raises(ValidationError) as error:
        actions.case_refer(item=page.agenda_items.get(), to_council=factories.council(), user=factories.admin())
    assert "to_council" in error.value.error_dict
    assert not CaseReferral.objects.filter(item__page=page).exists()


def test_referring_through_the_form_refuses_the_same_council(login):
    page = factories.meeting(slug="henvis-skjema", items=[{"title": "Sak"}])
    item = page.agenda_items.get()
    response = login("utvalgssekretaer").post(f"/moter/sak/{item.pk}/henvis/",
                                              {"to_council": factories.council().pk, "note": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_to_council_error"' in text(response)
    assert login("utvalgsmedlem").get(f"/moter/sak/{item.pk}/henvis/").status_code == 404
    assert login("utvalgsmedlem").get("/moter/sak/999999/henvis/").status_code == 404


def test_the_receiving_council_sees_the_case_and_puts_it_on_an_agenda(referred, login):
    _bergen, item, referral = referred
    vestland = factories.council(factories.VESTLAND)
    body = text(login("fylkesutvalgsmedlem").get(f"/moter/utvalg/{vestland.pk}/henviste-saker/"))
    assert "Ventetid på tolk" in body and "Internt notat om tolketjenesten" in body
    planned = factories.meeting(slug="fylke-planlagt", council_slug=factories.VESTLAND, days=10, status="planned")
    taken = actions.referral_put_on_agenda(referral=referral, meeting=planned, user=factories.admin())
    assert taken.referred_from == referral and taken.council.pk == vestland.pk
    with pytest.raises(ValidationError):
        actions.referral_put_on_agenda(referral=referral, meeting=planned, user=factories.admin())
    other = factories.meeting(slug="feil-utvalg", days=10, status="planned")
    with pytest.raises(ValidationError):
        actions.referral_put_on_agenda(referral=referral, meeting=other, user=factories.admin())


def test_published_minutes_link_both_ways_and_the_trail_is_public(referred, client):
    bergen, item, referral = referred
    county = factories.meeting(slug="fylke-behandlet", council_slug=factories.VESTLAND, days=-1)
    taken = actions.referral_put_on_agenda(referral=referral, meeting=county, user=factories.admin())
    factories.minutes(county, {"Ventetid på tolk": ("Fylket drøftet tolk", "Flere tolker ansettes")})
    assert county.url in text(client.get(bergen.url))
    assert bergen.url in text(client.get(county.url))
    trail = text(client.get(f"/moter/sak/{item.pk}/"))
    for phrase in ("Raised", "Referred", "Discussed", "Concluded", "Løftes til fylket", "Flere tolker ansettes"):
        assert phrase in trail or phrase in text(client.get(f"/en/moter/sak/{item.pk}/"))
    assert "Internt notat om tolketjenesten" not in trail
    assert text(client.get(f"/moter/sak/{taken.pk}/")).count("Flere tolker ansettes") == 1


def test_referral_notes_are_for_the_two_councils_only(referred, login, client):
    vestland = factories.council(factories.VESTLAND)
    assert client.get(f"/moter/utvalg/{vestland.pk}/henviste-saker/").status_code == 404
    other = factories.council_member("nasjonal-leser", factories.NATIONAL)
    client.force_login(other)
    assert client.get(f"/moter/utvalg/{vestland.pk}/henviste-saker/").status_code == 404
    bergen_list = login("utvalgsmedlem").get(f"/moter/utvalg/{factories.council().pk}/henviste-saker/")
    assert "Internt notat" in text(bergen_list)


def test_demo_case_went_from_bergen_to_vestland_and_was_concluded(client):
    referral = CaseReferral.objects.get(from_council__slug=factories.BERGEN, to_council__slug=factories.VESTLAND,
                                        item__title__startswith="Lange svartider")
    trail = text(client.get(f"/en/moter/sak/{referral.item.pk}/"))
    assert trail.count("Concluded") == 2 and "Referred" in trail
