"""Bad input never becomes a server error: every odd query, filter or page number gets a
sensible result or a clear message."""

from __future__ import annotations

import pytest

from search.text import fts5_expression, parse_query, tsquery_expression
from tests.search.helpers import publish_page, run, titles

# Builds its own content on the site skeleton (tests/conftest.py): no demo needed.
pytestmark = [pytest.mark.django_db, pytest.mark.factories]

NASTY_QUERIES = [
    "", "   ", "og i på", "the and of", "!!! ??? ...", "x" * 10_000, "møte " * 2_000,
    '"møte', 'møte"', "møte*", "*", "-møte", "møte -frist", "møte NEAR frist", "NEAR(møte frist)",
    "title:møte", "møte:", "møte OR", "AND", "NOT møte", "(møte", "møte)", "^møte", "møte'; DROP TABLE x;--",
    "'", "\\", "møte & frist | !svar", "møte <-> frist", "{lemmas}: møte", "\x00", "🙂", "møte\nfrist",
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_search_page_answers_every_query_without_error(query, client):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_service_answers_every_query_without_error(query):
    results = run(query)
    assert results.total >= 0


def test_fts_syntax_is_searched_as_words_not_operators():
    publish_page("Møtenotat", "møte om frister i Ulvik")
    assert "Møtenotat" in titles(run('"møte* -Ulvik'))  # quote, star, minus are dropped: møte AND ulvik
    assert "Møtenotat" in titles(run("møte:Ulvik"))
    assert "Møtenotat" not in titles(run("møte NEAR Hamar"))  # NEAR is just a word (and Hamar is absent)


def test_expressions_quote_every_token():
    parsed = parse_query('møte" OR "x NEAR -y*')
    assert fts5_expression(parsed).count('"') == 2 * sum(len(group) for group in parsed.groups)
    assert all(part.startswith('("') for part in fts5_expression(parsed).split(" AND "))
    assert "'" in tsquery_expression(parsed) and "*" not in tsquery_expression(parsed)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type one or more words"),
        ("og i på det", "only contained very common words"),
        ("!!! ???", "contained no words"),
        ("ord " * 200, "shortened"),
    ],
)
def test_unusable_queries_get_a_clear_message(query, message, client):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_unknown_and_malformed_filters_are_ignored_with_a_message(client):
    publish_page("Filtertest", "Dovrefjell ordliste")
    results = run("Dovrefjell", filters={"year": ["tjue"], "language": ["xx"], "colour": ["red"]})
    assert "Filtertest" in titles(results)
    assert "bad_filters" in results.notices
    # Well-formed but unknown values simply match nothing.
    assert run("Dovrefjell", filters={"type": ["finnes_ikke"]}).total == 0
    response = client.get("/en/search/", {"q": "Dovrefjell", "year": "<script>", "type": "x" * 500})
    assert response.status_code == 200
    assert "were not recognised" in response.content.decode()


@pytest.mark.parametrize("page", ["999", "-1", "0", "abc", "1e9", "99999999999999999999"])
def test_out_of_range_pages_show_the_nearest_page(page, client):
    publish_page("Sidetest", "Jostedalsbreen ordliste")
    results = run("Jostedalsbreen", page=page)
    assert results.page == 1 and "Sidetest" in titles(results)
    assert client.get("/search/", {"q": "Jostedalsbreen", "page": page}).status_code == 200


def test_pagination_and_sorting(client):
    for number in range(25):
        publish_page(f"Sidetall {number:02d}", "Hardangervidda side")
    first = run("Hardangervidda", page=1)
    second = run("Hardangervidda", page=2)
    assert first.total == 25 and first.num_pages == 2
    assert len(first.hits) == 20 and len(second.hits) == 5
    assert not titles(first) & titles(second)
    by_date = run("Hardangervidda", sort="date")
    dates = [hit.date for hit in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    assert run("Hardangervidda", sort="nonsense").sort == "relevance"
    body = client.get("/search/", {"q": "Hardangervidda", "page": "2", "sort": "date"}).content.decode()
    assert "Sidetall" in body


def test_empty_state_is_helpful(client):
    body = client.get("/en/search/", {"q": "Finnesikkeordet"}).content.decode()
    assert 'data-search-count="0"' in body
    assert "Check the spelling" in body and "log in" in body
