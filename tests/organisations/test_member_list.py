"""The umbrella's page lists each member organisation once, in the reader's language, and does not
say it has published nothing above its published responses and position papers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.hearings.helpers import FFB, accept, make_hearing, make_response
from tests.helpers import demo_page

pytestmark = pytest.mark.django_db


def _members(client, url: str) -> list[str]:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [li.get_text(strip=True) for li in soup.find(id="members-heading").parent.find_all("li")]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_each_member_organisation_is_listed_once_in_the_readers_language(client, language):
    umbrella = demo_page(FFB, language)
    members = _members(client, umbrella.url)
    assert len(members) == len(set(members)) and len(members) >= 2
    from portal.organisations.models import OrganisationPage

    expected = sorted(OrganisationPage.objects.live().filter(
        umbrella__translation_key=umbrella.translation_key, locale=umbrella.locale).values_list("title", flat=True))
    assert sorted(members) == expected


def test_no_empty_state_above_published_responses(client):
    accept(make_response(make_hearing("org-publisert"), FFB))
    body = client.get(demo_page(FFB).url).content.decode()
    assert "Høringssvar" in body
    assert "Organisasjonen har ikke publisert noe ennå" not in body
