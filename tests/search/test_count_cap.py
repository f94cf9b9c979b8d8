"""Fast at scale (issue #18, item 8): above a threshold a search stops counting, says "over 1 000
results", and ranks, pages and facets the newest matches only. The cap counts what the viewer may
see, inside the query: a private match never fills a place, is never counted by a facet and never
shown to someone who may not see it. Also: quotes and * are searched as words, and the page says so.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType

from search.backends import database
from search.models import SearchEntry
from tests.helpers import demo_page, make_user, restrict_to_groups
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db

WORD = "Kvernhusbekken"


@pytest.fixture
def cap(settings):
    def set_cap(value: int) -> None:
        settings.PORTAL_SEARCH = {**settings.PORTAL_SEARCH, "MATCH_CAP": value}

    return set_cap


@pytest.fixture
def canary():
    """Four public pages and, newest of all, a private one in a council's members' room."""
    for number in range(4):
        publish_page(f"Offentlig side {number}", f"{WORD} nummer {number}")
    group = Group.objects.create(name="Kvernhusgruppa")
    council = demo_page("brukerutvalget-i-bergen")
    room = publish_page("Medlemsrom", "Rommet til utvalget", parent=council)
    restrict_to_groups(room, group)
    publish_page("Hemmelig kanarifugl", f"{WORD} ved Fjellstølen, bare for medlemmene", parent=room)
    return {"member": make_user("kvern-medlem", groups=(group,)), "council": council}


def _council_counts(results) -> dict[str, int]:
    return {value.label: value.count for value in results.facets["council"]}


def test_under_the_cap_everything_is_exact(canary, cap):
    cap(10)
    anonymous, member = run(WORD), run(WORD, canary["member"])
    assert (anonymous.total, anonymous.total_capped) == (4, False)
    assert (member.total, member.total_capped) == (5, False)
    assert "Hemmelig kanarifugl" in titles(member) and "Hemmelig kanarifugl" not in titles(anonymous)


def test_over_the_cap_counts_and_facets_only_what_the_viewer_may_see(canary, cap):
    cap(3)
    anonymous = run(WORD)
    assert anonymous.total_capped and anonymous.total == 3
    assert "Hemmelig kanarifugl" not in titles(anonymous)
    assert len(anonymous.hits) == 3  # the private entry, newest of all, took no place
    assert sum(value.count for value in anonymous.facets["type"]) == 3
    assert _council_counts(anonymous) == {}
    # Positive control: the member's newest match is the private page, and it is counted.
    member = run(WORD, canary["member"])
    assert member.total_capped and member.total == 3
    assert "Hemmelig kanarifugl" in titles(member)
    assert _council_counts(member) == {canary["council"].title: 1}


def test_a_filter_below_the_cap_is_exact_again(canary, cap):
    cap(3)
    member = run(WORD, canary["member"], filters={"council": [str(canary["council"].translation_key)]})
    assert (member.total, member.total_capped) == (1, False)
    assert titles(member) == {"Hemmelig kanarifugl"}


def test_the_page_says_over_and_explains_in_each_language(canary, cap, client):
    cap(3)
    body = client.get("/search/", {"q": WORD}).content.decode()
    assert "data-search-capped" in body and "Over 3 treff" in body
    assert "Hemmelig kanarifugl" not in body and "Fjellstølen" not in body
    assert canary["council"].title not in body.split("search-facets")[-1]
    assert "Over 3 treff" in client.get("/nn/search/", {"q": WORD}).content.decode()
    assert "Over 3 results" in client.get("/en/search/", {"q": WORD}).content.decode()
    client.force_login(canary["member"])
    member_body = client.get("/search/", {"q": WORD}).content.decode()
    assert "Over 3 treff" in member_body and "Hemmelig kanarifugl" in member_body


def test_one_thousand_and_one_matches_show_over_1_000_grouped_by_language(client):
    """The real threshold, over rows written straight into the index (1 001 pages would be slow)."""
    content_type = ContentType.objects.get_for_model(Group)
    SearchEntry.objects.bulk_create(
        SearchEntry(content_type=content_type, object_id=f"mass-{number}", kind="standardpage", language="nb",
                    title=f"Massetreff {number}", url=f"/masse/{number}/", text="Steinsprangvegg",
                    title_lemmas=f"massetreff {number}", lemmas="steinsprangvegg", group_key=f"mass:{number}",
                    is_public=True)
        for number in range(database.DEFAULT_MATCH_CAP + 1)
    )
    results = run("steinsprangvegg")
    assert results.total_capped and results.total == 1000 and results.num_pages == 50
    body = client.get("/search/", {"q": "steinsprangvegg"}).content.decode()
    assert "Over 1\xa0000 treff" in body
    assert "Over 1,000 results" in client.get("/en/search/", {"q": "steinsprangvegg"}).content.decode()
    # Exactly at the threshold the count is exact.
    SearchEntry.objects.filter(object_id="mass-0").delete()
    assert (run("steinsprangvegg").total, run("steinsprangvegg").total_capped) == (1000, False)


@pytest.mark.parametrize("query", ['"Alta tjenester"', "tjenest* Alta", 'Alta "tjenester'])
def test_quotes_and_star_are_searched_as_words_and_the_page_says_so(query, client):
    publish_page("Operatorside", "NAVs tjenester i Alta")
    for path, notice in (("/search/", "Anførselstegn og * er ikke søkeoperatorer her"),
                         ("/nn/search/", "Hermeteikn og * er ikkje søkjeoperatorar her"),
                         ("/en/search/", "Quotation marks and * are not search operators here")):
        body = client.get(path, {"q": query}).content.decode()
        assert notice in body
        assert "Operatorside" in body  # the words themselves were searched


def test_ranking_and_date_order_hold_inside_the_capped_set(cap):
    cap(3)
    for number in range(3):
        publish_page(f"Brødtekst {number}", f"Om {WORD} i teksten")
    publish_page(f"{WORD} i tittelen", "Teksten nevner det ikke")
    ranked = run(WORD)
    assert ranked.total_capped and ranked.hits[0].title == f"{WORD} i tittelen"
    by_date = run(WORD, sort="date")
    dates = [hit.date for hit in by_date.hits]
    assert by_date.total_capped and dates == sorted(dates, reverse=True)


def test_anonymous_cap_ignores_private_matches_even_when_they_are_most(cap):
    """A viewer who may see few of the matches still gets an exact count of what they may see."""
    cap(2)
    group = Group.objects.create(name="Mange private")
    council = demo_page("brukerutvalget-i-bergen")
    room = publish_page("Privat rom", "Privat", parent=council)
    restrict_to_groups(room, group)
    for number in range(4):
        publish_page(f"Privat {number}", f"{WORD} privat", parent=room)
    publish_page("Eneste offentlige", f"{WORD} offentlig")
    results = run(WORD, AnonymousUser())
    assert (results.total, results.total_capped, titles(results)) == (1, False, {"Eneste offentlige"})
