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
