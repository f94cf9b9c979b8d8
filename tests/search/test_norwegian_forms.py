"""Acceptance: Norwegian word forms find each other on the database backend (run on SQLite and
on PostgreSQL), because we index and query lemmas, not what Snowball makes of them."""

from __future__ import annotations

import pytest

from search.text import lemma_text, parse_query
from tests.search.helpers import publish_page, run, titles

# Builds its own content on the site skeleton (tests/conftest.py): no demo needed.
pytestmark = [pytest.mark.django_db, pytest.mark.factories]

PAIRS = [
    ("brukerrepresentant", "brukerrepresentantene", "nb"),
    ("høringsfrister", "høringsfrist", "nb"),
    ("høringssvar", "høringssvaret", "nb"),
    ("medlem", "medlemmene", "nb"),
    ("møte", "møtene", "nb"),
    ("høyringssvar", "høyringssvaret", "nn"),
]


@pytest.mark.parametrize(("one", "other", "language"), PAIRS)
@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_each_form_finds_a_document_containing_only_the_other(one, other, language, direction):
    written, typed = (one, other) if direction == "forward" else (other, one)
    title = f"Notat {written} {direction}"
    publish_page(title, f"Her står det om {written} i Vassenden", language=language)
    found = titles(run(typed))
    assert title in found, f"{typed!r} did not find the page containing only {written!r}"


def test_unrelated_word_does_not_match_a_lemma_neighbour():
    """Lemmatising must not make everything match: a different word finds nothing."""
    publish_page("Notat om frister", "høringsfristene nærmer seg ved Kvernvika")
    assert "Notat om frister" not in titles(run("høringssvar Kvernvika"))
    assert "Notat om frister" in titles(run("høringsfrist Kvernvika"))


def test_all_query_words_must_match():
    publish_page("Bare møte", "møtene i Sandvika")
    assert "Bare møte" in titles(run("møte Sandvika"))
    assert "Bare møte" not in titles(run("møte Trondheim"))


@pytest.mark.parametrize(("one", "other", "language"), PAIRS)
def test_indexed_text_holds_the_lemma_that_the_other_form_queries_for(one, other, language):
    """What every backend receives (SQLite, PostgreSQL, Elasticsearch's lemma fields) shares a
    token with every alternative group of the other form's query."""
    for written, typed in ((one, other), (other, one)):
        indexed = set(lemma_text(written, language).split())
        (group,) = parse_query(typed).groups
        assert indexed & set(group), (written, typed, indexed, group)


def test_english_forms_are_lemmatised_for_english_pages():
    publish_page("Minutes", "The council held two meetings near Bluewater", language="en")
    assert "Minutes" in titles(run("meeting Bluewater"))
