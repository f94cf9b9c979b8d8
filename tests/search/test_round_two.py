"""Search round two (issue #18), on the database backend: run on SQLite and on PostgreSQL.

Word forms beyond lemmas (compound parts, Bokmål and Nynorsk, ambiguous lemmas), typos and
"did you mean" (never from private text), ranking, snippets and bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from search.service import MAX_QUERY_LENGTH
from tests.helpers import demo_page, make_user, restrict_to_groups
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db


# --- 1. word forms beyond lemmas -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "compound"),
    [("høring", "høringsorganet"), ("lønn", "lønnsvilkår"), ("organ", "høringsorganet"),
     ("medvirkning", "brukermedvirkningsorgan")],
)
def test_a_part_of_a_compound_finds_the_compound(part, compound):
    publish_page("Samansett ord", f"Her nevnes {compound} ved Stakkevollan")
    assert "Samansett ord" in titles(run(f"{part} Stakkevollan"))


def test_a_document_with_the_word_itself_ranks_above_one_with_only_the_compound():
    publish_page("Bare sammensetningen", "Om lønnsvilkår for ansatte ved Gimlekollen " * 3)
    publish_page("Selve ordet", "Om lønn for ansatte ved Gimlekollen " * 3)
    hits = [hit.title for hit in run("lønn Gimlekollen").hits]
    assert hits.index("Selve ordet") < hits.index("Bare sammensetningen")


def test_a_compound_does_not_split_into_fragments_that_match_unrelated_words():
    """"tjenester" is no compound: "ste" must not make it match everything with "ste"."""
    publish_page("Tjenester", "Tjenester i Hokksund")
    assert "Tjenester" not in titles(run("tjene Hokksund"))


@pytest.mark.parametrize(
    ("written", "typed", "language"),
    [
        ("brukerrepresentantene", "brukarrepresentantane", "nb"),
        ("tjenester", "tenester", "nb"),
        ("tenestene", "tjenester", "nn"),
        ("høringssvaret", "høyringssvar", "nb"),
    ],
)
def test_bokmal_and_nynorsk_find_each_other(written, typed, language):
    publish_page("Målform", f"Vi skriver om {written} i Lødingen", language=language)
    assert "Målform" in titles(run(f"{typed} Lødingen"))


def test_an_ambiguous_word_is_indexed_under_every_lemma():
    """The lemmatiser takes "sanksjoner" for the verb "sanksjonere"; the noun finds it too."""
    publish_page("Sanksjoner", "Nye sanksjoner i Porsgrunn")
    assert "Sanksjoner" in titles(run("sanksjon Porsgrunn"))
    assert "Sanksjoner" in titles(run("sanksjonere Porsgrunn"))


# --- 2. typos ------------------------------------------------------------------------------------


def test_a_typo_searches_the_nearest_indexed_word_and_says_so(client):
    publish_page("Svar fra Hemnes", "Vårt høringssvar om Hemnesberget")
    results = run("høringsvar")
    assert results.corrected_from == "høringsvar"
    assert results.query == "høringssvar"
    assert "Svar fra Hemnes" in titles(results)
    body = client.get("/search/", {"q": "høringsvar"}).content.decode()
    assert "data-search-corrected" in body and "høringssvar" in body and "Svar fra Hemnes" in body


def test_a_word_without_a_typo_gets_no_correction():
    publish_page("Svar fra Hemnes", "Vårt høringssvar om Hemnesberget")
    results = run("høringssvar")
    assert results.corrected_from == "" and results.suggestion == ""


@pytest.mark.parametrize("typed", ["opplaering", "opplering", "aapen opplaering"])
def test_ae_o_aa_typed_for_norwegian_letters_match(typed):
    publish_page("Opplæring", "Åpen opplæring for representanter")
    results = run(typed)
    assert "Opplæring" in titles(results)


def test_no_suggestion_from_words_that_only_private_documents_hold():
    group = Group.objects.create(name="Hemmelig arbeidsgruppe")
    container = publish_page("Lukket rom", "Bare for gruppa", parent=demo_page("brukerutvalget-i-bergen"))
    restrict_to_groups(container, group)
    publish_page("Privat notat", "Kodeord Blåbærsyltetøy", parent=container)
    member = make_user("skrivefeil-medlem", groups=(group,))
    for user in (AnonymousUser(), make_user("skrivefeil-utenfor")):
        results = run("blåbærsyltetoy", user)
        assert results.total == 0 and results.suggestion == "" and results.corrected_from == ""
        assert results.query == "blåbærsyltetoy"
    results = run("blåbærsyltetoy", member)
    assert results.query == "blåbærsyltetøy" and titles(results) == {"Privat notat"}


def test_search_page_shows_no_private_suggestion(client):
    group = Group.objects.create(name="Hemmelig arbeidsgruppe")
    container = publish_page("Lukket rom", "Bare for gruppa", parent=demo_page("brukerutvalget-i-bergen"))
    restrict_to_groups(container, group)
    publish_page("Privat notat", "Kodeord Blåbærsyltetøy", parent=container)
    body = client.get("/search/", {"q": "blåbærsyltetoy"}).content.decode()
    assert "blåbærsyltetøy" not in body.lower() and "data-search-suggestion" not in body
    assert "data-search-corrected" not in body


# --- 3. ranking ----------------------------------------------------------------------------------


def test_title_outranks_body():
    publish_page("Notat om ting", "Kråkeslottet nevnes her i teksten en gang")
    publish_page("Kråkeslottet", "Et notat om noe helt annet")
    assert run("kråkeslottet").hits[0].title == "Kråkeslottet"


def test_a_long_document_about_the_query_is_not_buried_by_its_length():
    filler = " ".join(f"setning nummer {n} om andre ting." for n in range(400))
    publish_page("Lang rapport", f"Snøskuteravgift. {filler} Snøskuteravgift og snøskuteravgift igjen.")
    publish_page("Kort omtale", "Nevner snøskuteravgift en gang.")
    hits = [hit.title for hit in run("snøskuteravgift").hits]
    assert set(hits) == {"Lang rapport", "Kort omtale"}


# --- 5. snippets ---------------------------------------------------------------------------------


def test_snippet_shows_the_passage_with_the_most_query_words_all_highlighted():
    filler = " ".join(f"ord{n}" for n in range(80))
    publish_page(
        "Snuttnotat",
        f"Bodø nevnes først. {filler} Her står både Bodø og kystledd og fergekai sammen. {filler}",
    )
    (hit,) = run("bodø kystledd fergekai").hits
    assert "<mark>Bodø</mark>" in hit.snippet
    assert "<mark>kystledd</mark>" in hit.snippet and "<mark>fergekai</mark>" in hit.snippet


def test_snippet_highlights_a_compound_found_by_its_part():
    publish_page("Organnotat", "Vi er et høringsorgan i Kautokeino")
    (hit,) = run("høring kautokeino").hits
    assert "<mark>høringsorgan</mark>" in hit.snippet


# --- 7. bad input --------------------------------------------------------------------------------


def test_a_long_query_is_cut_at_a_word_boundary():
    words = ["trafikksikkerhet"] * 40
    query = " ".join(words)
    assert len(query) > 500
    results = run(query)
    assert "shortened" in results.notices
    assert len(results.query) <= MAX_QUERY_LENGTH
    assert all(word == "trafikksikkerhet" for word in results.query.split())


def test_a_null_byte_never_reaches_the_page(client):
    publish_page("Nullnotat", "Om Fauske")
    results = run("Fau\x00ske")
    assert "\x00" not in results.query
    response = client.get("/search/", {"q": "Fauske\x00<script>"})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode() and "<script>" not in response.content.decode().split("<main")[-1]


def test_an_apostrophe_s_finds_the_genitive():
    publish_page("Genitiv", "NAVs tjenester i Alta")
    assert "Genitiv" in titles(run("NAV's Alta"))
    assert "Genitiv" in titles(run("NAVs Alta"))


@pytest.mark.parametrize("query", ['"Alta tjenester"', "tjenest* Alta"])
def test_quotes_and_star_say_they_are_ignored(query):
    publish_page("Operatorer", "NAVs tjenester i Alta")
    results = run(query)
    assert "operators_ignored" in results.notices


# --- 4. one hit per page -------------------------------------------------------------------------


def _translated(title: str, body: str, body_nn: str):
    from wagtail.models import Locale

    page = publish_page(title, body)
    translation = page.copy_for_translation(Locale.objects.get(language_code="nn"))
    translation.title = f"{title} (nynorsk)"
    translation.body = f"<p>{body_nn}</p>"
    translation.save_revision().publish()
    return page, translation


@pytest.mark.parametrize(("reader", "expected"), [("nb", "Samisk ordliste"), ("nn", "Samisk ordliste (nynorsk)")])
def test_translations_are_one_hit_in_the_readers_language(reader, expected):
    from django.utils import translation

    page, translated = _translated("Samisk ordliste", "Ordliste for Karasjok", "Ordliste for Karasjok")
    with translation.override(reader):
        results = run("Karasjok")
    assert [hit.title for hit in results.hits] == [expected]
    assert results.total == 1
    assert sum(value.count for value in results.facets["type"]) == 1
    (hit,) = results.hits
    assert hit.url == (page.url if reader == "nb" else translated.url)
    assert hit.other_language == ""


def test_a_page_without_the_readers_language_falls_back_to_its_source_with_a_label(client):
    from django.utils import translation

    publish_page("Bare bokmål", "Kun på bokmål i Kirkenes")
    with translation.override("nn"):
        (hit,) = run("Kirkenes").hits
    assert hit.title == "Bare bokmål" and hit.other_language
    assert "data-hit-language" in client.get("/nn/search/", {"q": "Kirkenes"}).content.decode()
    assert "data-hit-language" not in client.get("/search/", {"q": "Kirkenes"}).content.decode()


def test_a_reader_who_filters_by_language_gets_the_versions_they_chose():
    _translated("Samisk ordliste", "Ordliste for Karasjok", "Ordliste for Karasjok")
    results = run("Karasjok", filters={"language": ["nb", "nn"]})
    assert results.total == 2


def test_a_private_translation_reaches_only_its_members():
    from django.utils import translation

    from search.service import reindex_page_tree

    page, translated = _translated("Offentlig side", "Om Vardø havn", "Om Vardø hamn")
    group = Group.objects.create(name="Nynorskgruppa")
    restrict_to_groups(translated, group)
    reindex_page_tree(translated)
    with translation.override("nn"):
        outsider = run("Vardø")
        member = run("Vardø", make_user("nynorsk-medlem", groups=(group,)))
    assert translated.url not in [hit.url for hit in outsider.hits]
    assert all("nynorsk" not in hit.title for hit in outsider.hits)
    assert [hit.url for hit in member.hits] == [translated.url]


# --- 5. snippets from attachments, labelled dates ---------------------------------------------------


def test_a_hit_in_an_attachment_names_the_file(client):
    from tests.search.test_attachments import attach, make_pdf, page_linking

    page_linking("Side med notat", attach("Høringsnotat.pdf", make_pdf("Fiskeværet Nyksund omtales her")))
    (hit,) = run("Nyksund").hits
    assert hit.attachment == "Høringsnotat.pdf"
    assert "<mark>Nyksund</mark>" in hit.snippet
    body = client.get("/search/", {"q": "Nyksund"}).content.decode()
    assert "data-hit-attachment" in body and "Høringsnotat.pdf" in body


def test_a_hit_in_the_page_text_names_no_file():
    from tests.search.test_attachments import attach, make_pdf, page_linking

    page_linking("Side om Nyksund", attach("Vedlegg.pdf", make_pdf("Noe annet")))
    (hit,) = run("Nyksund").hits
    assert hit.attachment == ""


def test_dates_are_labelled_by_what_they_are(client):
    from tests.hearings.helpers import make_hearing

    make_hearing("merkedato", title="Høring om Smøla")
    publish_page("Artikkel om Smøla", "Smøla")
    hits = {hit.title: hit.date_kind for hit in run("Smøla").hits}
    assert hits == {"Høring om Smøla": "deadline", "Artikkel om Smøla": "published"}
    body = client.get("/search/", {"q": "Smøla"}, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert 'data-date-kind="deadline"' in body and 'data-date-kind="published"' in body


# --- 6. findable: hearing attachments, responses released at the deadline ---------------------------


def test_a_hearing_attachment_is_searchable_with_the_hearing():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from portal.hearings.models import HearingAttachment
    from tests.hearings.helpers import make_hearing
    from tests.search.test_attachments import make_pdf

    hearing = make_hearing("vedleggshoring", title="Høring med vedlegg")
    document = get_document_model().objects.create(
        title="Høringsnotat.pdf", file=ContentFile(make_pdf("Reindriftsforvaltningen i Finnmark"), name="notat.pdf")
    )
    hearing.attachments.add(HearingAttachment(document=document))
    hearing.save_revision().publish()
    (hit,) = run("reindriftsforvaltning").hits
    assert hit.title == "Høring med vedlegg" and hit.attachment == "Høringsnotat.pdf"


def test_responses_released_at_the_deadline_become_searchable_when_it_passes(monkeypatch):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from portal.hearings.models import PublicationPolicy
    from search.service import reindex_due
    from tests.hearings.helpers import accept, make_hearing, make_response

    hearing = make_hearing("fristslipp", policy=PublicationPolicy.AT_DEADLINE, days=2)
    accept(make_response(hearing, remarks="<p>Vi støtter Tromsøbrua.</p>"))
    assert run("Tromsøbrua").total == 0
    assert reindex_due() == 0  # the deadline has not passed: nothing is due
    assert run("Tromsøbrua").total == 0
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the clock passes the deadline
    assert run("Tromsøbrua").total == 0  # nothing saved, nothing changed by itself
    out = io.StringIO()
    call_command("reindex_due_search", stdout=out)
    assert "1" in out.getvalue()
    assert run("Tromsøbrua").total == 1
    assert reindex_due() == 0  # done once, not again


def test_a_council_internal_document_is_found_by_members_only(login):
    """A file attached in the council's private space: members find it, with the file named;
    nobody else gets a hit, a count or a suggestion from it."""
    from django.contrib.auth import get_user_model

    from tests.councils.helpers import BERGEN, pdf_file

    client = login("utvalgsmedlem")
    client.post(f"/brukerutvalg/{BERGEN}/rom/", {
        "action": "new_thread", "thread-title": "Internt notat", "thread-body": "Se vedlegget.",
        "thread-attachments": [pdf_file("Budsjettnotat.pdf", "Lofotodden budsjett")],
    })
    member = get_user_model().objects.get(username="utvalgsmedlem")
    (hit,) = run("Lofotodden", member).hits
    assert hit.title == "Internt notat" and hit.attachment.startswith("Budsjettnotat")
    for outsider in (AnonymousUser(), make_user("intern-utenfor")):
        results = run("Lofotodden", outsider)
        assert results.total == 0 and results.suggestion == "" and results.corrected_from == ""
        assert run("Lofotoden", outsider).suggestion == ""
