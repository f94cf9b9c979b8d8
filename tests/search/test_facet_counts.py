"""Facet counts and the total are exact: every facet value counts the matches the viewer may see
that carry it, whichever database answers (PostgreSQL computes them all in one pass)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.access.audience import viewer_tokens
from search.backends import database
from search.text import parse_query
from tests.helpers import demo_user
from tests.search.helpers import publish_page

pytestmark = pytest.mark.django_db


def _counted_one_by_one(user, query: str) -> tuple[dict[str, dict[str, int]], int]:
    """What the facets must say, counted in Python over every visible match."""
    entries = database.matching(
        database.visible_entries(tokens=viewer_tokens(user), unrestricted=False), parse_query(query)
    )
    fields = {name: field for name, (field, _label) in database.FACET_FIELDS.items()}
    rows = list(entries.order_by().values(*fields.values()))
    expected = {
        name: dict(Counter(str(row[field]) for row in rows if row[field] not in (None, "")))
        for name, field in fields.items()
    }
    return expected, len(rows)


@pytest.mark.parametrize("username", [None, "utvalgsmedlem", "org-leder"])
def test_every_facet_counts_exactly_the_visible_matches(username):
    publish_page("Brukerutvalg i nord", "Brukerutvalget møtes fire ganger i året.", language="nn")
    publish_page("User councils", "The user council meets four times a year.", language="en")
    user = demo_user(username) if username else AnonymousUser()
    expected, expected_total = _counted_one_by_one(user, "brukerutvalg")
    assert expected_total > 3  # a word the demo uses across kinds, councils and languages

    entries, total, facets = database.search(
        parsed=parse_query("brukerutvalg"), tokens=viewer_tokens(user), unrestricted=False, filters={},
        sort="relevance", offset=0, limit=10,
    )

    assert total == expected_total
    assert {name: {value: count for value, _label, count in values} for name, values in facets.items()} == expected
    for values in facets.values():
        counts = [count for _value, _label, count in values]
        assert counts == sorted(counts, reverse=True)  # most frequent first
    assert len(entries) == min(10, expected_total)
