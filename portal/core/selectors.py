"""Reads for site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, get_page_models

from portal.access import generation
from portal.access.visibility import exclude_restricted


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    url: str


# Index page model -> (position on the home page, description). Each app registers its section
# from its ``ready()``: core knows no section by name.
_sections: dict[type[Page], tuple[int, Any]] = {}


def register_section(model: type[Page], *, order: int, description: Any) -> None:
    """Show the live child of the home page of this type as a section tile (``description`` is a
    lazy translation)."""
    _sections[model] = (order, description)


def _section_pages(home: Page) -> list[Section]:
    """The home page's public section pages: the same for every reader, so computed once per
    content generation (portal.access.generation)."""
    children = {type(page): page for page in exclude_restricted(home.get_children().live()).specific()}
    return [
        Section(title=page.title, description=str(description), url=page.url)
        for model, (_order, description) in sorted(_sections.items(), key=lambda item: item[1][0])
        if (page := children.get(model)) is not None
    ]


def home_sections(*, home: Page) -> list[Section]:
    """The portal's sections as linked from the home page, in the page's language."""
    sections = list(generation.cached("home-sections", (home.pk, get_language()), lambda: _section_pages(home)))
    sections.append(
        Section(title=_("Search"), description=_("Find hearings, responses, councils and minutes."),
                url=reverse("search"))
    )
    return sections


@dataclass(frozen=True)
class HomeItem:
    """One line in a block of the home page: a linked title, what it belongs to, and a date."""

    title: str
    url: str
    context: str = ""
    date: Any = None
    date_label: str = ""
    note: str = ""


@dataclass(frozen=True)
class HomeBlock:
    key: str
    heading: str
    items: list[HomeItem]
    empty: str
    more_url: str = ""
    more_label: str = ""


# What is happening, as blocks on the home page (open hearings, meetings, minutes, responses). Each
# app registers its builders from ``ready()``: core knows no hearing or meeting. A builder takes the
# home page and the number of items and must cost a constant number of queries, and show only what
# an anonymous reader may see (the home page is the same for everyone, and cached for anonymous
# readers).
_home_blocks: dict[str, tuple[int, Any]] = {}


def register_home_block(key: str, *, order: int, build: Any) -> None:
    _home_blocks[key] = (order, build)


HOME_BLOCK_SIZE = 5


def home_blocks(*, home: Page, size: int = HOME_BLOCK_SIZE) -> list[HomeBlock]:
    """The live blocks of the home page, in their order."""
    return [build(home=home, size=size) for _order, build in sorted(_home_blocks.values(), key=lambda b: b[0])]


def first_translations(rows, *, size: int) -> list[Any]:
    """The first ``size`` distinct translation keys from ``(pk, translation_key)`` rows (one per
    content item, not per language version), in the rows' order."""
    keys: list[Any] = []
    for _pk, key in rows:
        if key not in keys:
            keys.append(key)
            if len(keys) == size:
                break
    return keys


@cache
def _has_subtypes(model: type[Page]) -> bool:
    return any(other is not model and issubclass(other, model) for other in get_page_models())


def _translations_of(pages: list[Page], active: Locale, keys: set) -> Any:
    """The live translations with these keys in that locale, each of its own page type. Pages of one
    type (the usual case: a list of hearings, councils, meetings) are read from that type's table in
    one query; a mixed list takes Wagtail's ``.specific()``, which asks first for the types."""
    kinds = {type(page) for page in pages if page.locale_id != active.id}
    # (A class is hashable; the stubs type ``type[Any]`` as not, for the cache's key.)
    if len(kinds) == 1 and (kind := kinds.pop()) is not Page and not _has_subtypes(kind):  # type: ignore[arg-type]
        return kind.objects.live().filter(locale=active, translation_key__in=keys)
    return Page.objects.live().filter(locale=active, translation_key__in=keys).specific()


def localized_pages(pages) -> list[Page]:
    """Each page's live translation in the active language (the page itself when there is none), in
    one query for a list of one page type (two for a mixed list). ``page.localized`` in a loop
    costs a query or two per page."""
    pages = list(pages)
    try:
        active = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return pages
    keys = {page.translation_key for page in pages if page.locale_id != active.id}
    if not keys:
        return pages
    translations = {page.translation_key: page for page in _translations_of(pages, active, keys)}
    return [page if page.locale_id == active.id else translations.get(page.translation_key, page) for page in pages]


def in_active_language(versions) -> dict[Any, Page]:
    """Among pages that include every language version of some items, one per translation key: the
    version in the active language where there is one, else the first met. No query: for lists that
    fetched all versions anyway (the query stays the same whichever languages the items exist in)."""
    try:
        active_id = Locale.get_active().id
    except (LookupError, Locale.DoesNotExist):
        active_id = None
    chosen: dict[Any, Page] = {}
    for page in versions:
        current = chosen.get(page.translation_key)
        if current is None or (page.locale_id == active_id and current.locale_id != active_id):
            chosen[page.translation_key] = page
    return chosen


def localized_unique(pages) -> list[Page]:
    """Each content item once (not once per language version), in the active language where it
    exists, in the order of the first version met; two queries for the whole list."""
    seen: set = set()
    first = []
    for page in pages:
        if page.translation_key not in seen:
            seen.add(page.translation_key)
            first.append(page)
    return localized_pages(first)
