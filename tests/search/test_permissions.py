"""Leak tests: results, snippets, counts and facets only ever come from what the viewer may see;
the rights are a filter inside the query, not a check on a page of results."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import Locale

from search.models import SearchEntry
from tests.helpers import demo_page, demo_user, make_user, restrict_to_groups
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db

SECRET = "Spurvehaukreir"


@pytest.fixture
def private_setup():
    group = Group.objects.create(name="Utvalgets arbeidsgruppe")
    other = Group.objects.create(name="Annen gruppe")
    council = demo_page("brukerutvalget-i-bergen")
    container = publish_page("Arbeidsrom", "Arbeidsrommet til utvalget", parent=council)
    restrict_to_groups(container, group)
    private = publish_page("Privat tråd", f"{SECRET} ved Lysevatnet, bare for medlemmene", parent=container)
    public = publish_page("Offentlig notat", f"{SECRET} nevnes også offentlig")
    return {
        "member": make_user("sok-medlem", groups=(group,)),
        "outsider": make_user("sok-utenfor"),
        "other_member": make_user("sok-annen", groups=(other,)),
        "private": private,
        "public": public,
        "council": council,
    }


def test_member_finds_the_private_thread_with_snippet_and_council_facet(private_setup):
    results = run(SECRET, private_setup["member"])
    assert titles(results) == {"Privat tråd", "Offentlig notat"}
    assert results.total == 2
    hit = next(hit for hit in results.hits if hit.title == "Privat tråd")
    assert "Lysevatnet" in hit.snippet and f"<mark>{SECRET}</mark>" in hit.snippet
    council_facet = {value.label: value.count for value in results.facets["council"]}
    assert council_facet == {private_setup["council"].title: 1}


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "other_member"])
def test_others_get_no_result_snippet_count_or_facet_from_the_private_thread(private_setup, viewer):
    user = AnonymousUser() if viewer == "anonymous" else private_setup[viewer]
    results = run(SECRET, user)
    assert titles(results) == {"Offentlig notat"}
    assert results.total == 1
    assert all("Lysevatnet" not in hit.snippet for hit in results.hits)
    assert results.facets["council"] == []
    assert sum(value.count for value in results.facets["type"]) == 1
    # A word that occurs ONLY in the private thread finds nothing at all.
    only_private = run("Lysevatnet", user)
    assert only_private.total == 0 and only_private.hits == []
    assert all(values == [] for values in only_private.facets.values())


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_search_page_shows_nothing_of_the_private_thread(private_setup, viewer, client):
    if viewer == "outsider":
        client.force_login(private_setup["outsider"])
    body = client.get("/search/", {"q": "Lysevatnet"}).content.decode()
    assert "Privat tråd" not in body and private_setup["private"].url not in body
    assert 'data-search-count="0"' in body
    body = client.get("/search/", {"q": SECRET}).content.decode()
    assert "Lysevatnet" not in body and "Privat tråd" not in body
    assert private_setup["council"].title not in body.split("search-facets")[-1].split("</aside>")[0]


def test_member_sees_the_private_thread_on_the_search_page(private_setup, client):
    client.force_login(private_setup["member"])
    body = client.get("/search/", {"q": "Lysevatnet"}).content.decode()
    assert "Privat tråd" in body and "<mark>Lysevatnet</mark>" in body
    assert 'data-search-count="1"' in body


def test_superuser_sees_everything(private_setup):
    assert "Privat tråd" in titles(run("Lysevatnet", demo_user("admin")))


def test_private_entry_carries_group_audience_not_public(private_setup):
    entry = SearchEntry.objects.get(object_id=str(private_setup["private"].pk))
    assert entry.is_public is False
    assert set(entry.audience.values_list("token", flat=True)) == {
        f"group:{Group.objects.get(name='Utvalgets arbeidsgruppe').pk}"
    }


def test_council_member_token_admits_entries_for_that_council_only():
    """Council audiences (used by private council spaces) admit current members of THAT council."""
    from portal.access.audience import council_token, viewer_tokens

    bergen, vestland = demo_page("brukerutvalget-i-bergen"), demo_page("brukerutvalget-i-vestland")
    tokens = viewer_tokens(demo_user("utvalgsmedlem"))
    assert council_token(bergen) in tokens
    assert council_token(vestland) not in tokens
    assert council_token(bergen) not in viewer_tokens(demo_user("fylkesutvalgsmedlem"))


def test_council_facet_label_follows_the_interface_language(private_setup):
    from django.utils import translation

    with translation.override("en"):
        results = run(SECRET, private_setup["member"])
    english = private_setup["council"].get_translation(Locale.objects.get(language_code="en"))
    assert [value.label for value in results.facets["council"]] == [english.title]
