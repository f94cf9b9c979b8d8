"""Helpers for the search tests: pages with given words, and running a search as someone."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import AnonymousUser
from wagtail.models import Locale

from portal.core.models import StandardPage
from search.service import SearchResults, search
from tests.helpers import demo_page

_counter = itertools.count()


def publish_page(title: str, body: str, *, language: str = "nb", parent: Any = None) -> StandardPage:
    """A published StandardPage with this body, under the home page of ``language``."""
    parent = parent or demo_page("hjem", language)
    page = StandardPage(
        title=title, slug=f"sok-test-{next(_counter)}", body=f"<p>{body}</p>",
        locale=Locale.objects.get(language_code=language),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def run(query: str, user: Any = None, **kwargs: Any) -> SearchResults:
    return search(user=user or AnonymousUser(), query=query, **kwargs)


def titles(results: SearchResults) -> set[str]:
    return {hit.title for hit in results.hits}
