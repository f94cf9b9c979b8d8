"""Search for what the user may see.

Wagtail's `.search()` would happily return restricted pages, so results are always narrowed by the
visibility service before anything (title, snippet, count) reaches the page.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page

from portal.access.visibility import viewable_pages

# How many ranked hits we consider before narrowing to the visible ones.
CANDIDATE_LIMIT = 500


def search_pages(*, user: Any, query: str) -> list[Page]:
    """Live pages matching the query, best first, only those the user may view."""
    if not query.strip():
        return []
    hits = list(Page.objects.live().search(query, operator="and")[:CANDIDATE_LIMIT])
    if not hits:
        return []
    candidates = Page.objects.filter(pk__in=[hit.pk for hit in hits])
    visible = set(viewable_pages(user, candidates).values_list("pk", flat=True))
    pages = Page.objects.filter(pk__in=visible).specific().in_bulk()
    return [pages[hit.pk] for hit in hits if hit.pk in pages]
