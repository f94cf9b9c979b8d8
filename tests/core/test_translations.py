"""Page translations through wagtail-localize: created and synced from the source, marked out of date
when the source changes (readers see a notice in the page's language with a link to the original),
and a page without a translation says so in the reader's language."""

from __future__ import annotations

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from portal.core.models import HomePage, StandardPage
from portal.core.translations import sync_translation, translation_status
from portal.demo.hearing_details import DETAILS
from portal.hearings.models import HearingPage
from tests.hearings.helpers import FFB, make_hearing
from tests.helpers import demo_page, text

pytestmark = pytest.mark.django_db

NOTICE_NN = "Denne omsetjinga er eldre enn originalen på bokmål"


def _source_page() -> StandardPage:
    home = HomePage.objects.get(locale__language_code="nb", depth=2)
    page = StandardPage(title="Om tolketjenesten", slug="om-tolketjenesten", intro="Slik bestiller du tolk.",
                        body="<p>Tolk bestilles senest to dager før møtet.</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_translation_is_synced_from_its_source_with_the_translated_strings(client):
    source = _source_page()
    nn = sync_translation(page=source, locale=Locale.objects.get(language_code="nn"),
                          fields={"title": "Om tolketenesta", "intro": "Slik bestiller du tolk.",
                                  "body": "<p>Tolk må bestillast seinast to dagar før møtet.</p>"})
    assert TranslationSource.objects.filter(object_id=source.translation_key).exists()
    assert nn.live and nn.title == "Om tolketenesta"
    assert "seinast to dagar" in nn.body
    body = text(client.get(nn.url))
    assert "Om tolketenesta" in body and NOTICE_NN not in body
    assert translation_status(nn) is not None and not translation_status(nn).out_of_date


def test_editing_the_source_marks_the_translation_out_of_date_until_it_is_synced(client):
    source = _source_page()
    nn_locale = Locale.objects.get(language_code="nn")
    nn = sync_translation(page=source, locale=nn_locale, fields={"title": "Om tolketenesta"})

    source.body = "<p>Tolk bestilles senest tre dager før møtet.</p>"
    source.save_revision().publish()

    assert translation_status(nn).out_of_date
    response = client.get(nn.url)
    body = text(response)
    assert NOTICE_NN in body
    assert f'href="{source.url}"' in body, "the notice links to the original"
    # The Bokmål original itself carries no notice.
    assert NOTICE_NN not in text(client.get(source.url)) and "eldre enn originalen" not in text(client.get(source.url))

    nn = sync_translation(page=source, locale=nn_locale)
    assert not translation_status(nn).out_of_date
    body = text(client.get(nn.url))
    assert NOTICE_NN not in body
    assert "tre dager" in nn.body, "the sync brought the source's change across (untranslated strings fall back)"
    assert nn.title == "Om tolketenesta", "strings translated before are kept"


def test_the_notice_is_in_the_readers_language_for_english_too(client):
    source = _source_page()
    en = sync_translation(page=source, locale=Locale.objects.get(language_code="en"),
                          fields={"title": "About interpreting"})
    source.intro = "Nytt innhold."
    source.save_revision().publish()
    body = text(client.get(en.url))
    assert "This translation is older than the Bokmål original" in body


def test_a_page_without_a_translation_says_so_in_the_readers_language(client):
    source = _source_page()
    body = text(client.get(source.url))
    # The switcher does not silently send a Nynorsk reader to the Bokmål page or the home page.
    assert f'href="/nn/ikke-oversatt/{source.pk}/"' in body
    response = client.get(f"/nn/ikke-oversatt/{source.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Denne sida finst ikkje på nynorsk" in page
    assert f'href="{source.url}"' in page
    english = text(client.get(f"/en/ikke-oversatt/{source.pk}/"))
    assert "This page is not available in English" in english
    # hreflang never announces the placeholder as a translation.
    assert 'hreflang="nn" href="http://testserver/nn/ikke-oversatt/' not in body


def test_the_demo_translates_through_wagtail_localize():
    hearing = HearingPage.objects.get(slug="strategi-for-brukermedvirkning-2027-2030", locale__language_code="nb")
    for code in ("nn", "en"):
        translated = hearing.get_translation(Locale.objects.get(language_code=code))
        assert Translation.objects.filter(source__object_id=hearing.translation_key,
                                          target_locale__language_code=code).exists()
        assert translation_status(translated) is not None
        assert not translation_status(translated).out_of_date, "the demo leaves its translations in step"
    nn = hearing.get_translation(Locale.objects.get(language_code="nn"))
    assert nn.title != hearing.title, "the demo's Nynorsk title is applied as a translation of the source's"


def test_a_sync_brings_a_hearings_consulted_organisations_to_its_translations():
    hearing = make_hearing("konsultert-synk")
    nn_locale = Locale.objects.get(language_code="nn")
    assert list(sync_translation(page=hearing, locale=nn_locale).consulted_organisations.all()) == []
    hearing.consulted_organisations.set([demo_page(FFB)])
    hearing.save_revision().publish()
    nn = sync_translation(page=hearing, locale=nn_locale)
    assert [organisation.pk for organisation in nn.consulted_organisations.all()] == [demo_page(FFB).pk]


@pytest.mark.parametrize("slug", sorted(DETAILS))
def test_the_demo_hearing_details_reach_every_translation_in_step_with_the_source(slug, client):
    source = HearingPage.objects.get(slug=slug, locale__language_code="nb")
    translations = [page.specific for page in source.get_translations()]
    assert {page.locale.language_code for page in translations} == {"nn", "en"}
    for translated in translations:
        assert not translation_status(translated).out_of_date, "synced, not recorded by hand"
        assert (translated.sent_out, translated.contact_name, translated.contact_email) == (
            source.sent_out, source.contact_name, source.contact_email)
        assert set(translated.consulted_organisations.all()) == set(source.consulted_organisations.all()) != set()
        documents = [[row.document_id for row in page.attachments.all()] for page in (translated, source)]
        assert documents[0] == documents[1] != []
        body = text(client.get(translated.url))
        assert source.contact_name in body and source.contact_email in body and "Høringsnotat" in body
