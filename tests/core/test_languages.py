"""Languages: Bokmål is the default at /, Nynorsk and English under their prefixes, and the
switcher keeps the reader on the same page."""

import re

import pytest

from tests.helpers import demo_page, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "lang", "title"),
    [
        ("/", "nb", "Brukermedvirkning i arbeids- og velferdsforvaltningen"),
        ("/nn/", "nn", "Brukarmedverknad i arbeids- og velferdsforvaltninga"),
        ("/en/", "en", "User participation in the labour and welfare administration"),
    ],
)
def test_home_page_is_served_in_each_language(client, url, lang, title):
    response = client.get(url)
    assert response.status_code == 200
    body = text(response)
    assert f'<html lang="{lang}">' in body
    assert title in body


def test_interface_text_is_translated(client):
    assert "Hopp til hovudinnhaldet" in text(client.get("/nn/"))
    assert "Hopp til hovedinnholdet" in text(client.get("/"))
    assert "Skip to main content" in text(client.get("/en/"))


def test_switcher_on_a_council_page_links_to_the_same_council_in_other_languages(client):
    council = demo_page("brukerutvalget-i-bergen")
    body = text(client.get(council.url))
    nn_url = demo_page("brukerutvalget-i-bergen", "nn").url
    en_url = demo_page("brukerutvalget-i-bergen", "en").url
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    assert f'href="{nn_url}"' in switcher
    assert f'href="{en_url}"' in switcher
    # Following the link serves the translated council page.
    assert "Brukarutvalet i Bergen" in text(client.get(nn_url))
    assert "Bergen local user council" in text(client.get(en_url))


def test_pages_announce_their_translations_with_hreflang(client):
    body = text(client.get("/"))
    for code in ("nb", "nn", "en"):
        assert f'hreflang="{code}"' in body
    assert 'hreflang="x-default"' in body


def test_non_page_views_switch_language_too(client):
    body = text(client.get("/search/?q=utvalg"))
    assert 'href="/nn/search/?q=utvalg"' in body
    assert '<html lang="nn">' in text(client.get("/nn/search/?q=utvalg"))
