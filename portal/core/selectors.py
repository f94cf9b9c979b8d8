"""Reads for site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

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


def localized_pages(pages) -> list[Page]:
    """Each page's live translation in the active language (the page itself when there is none), in
    two queries for the whole list. ``page.localized`` in a loop costs a query or two per page."""
    pages = list(pages)
    try:
        active = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return pages
    keys = {page.translation_key for page in pages if page.locale_id != active.id}
    if not keys:
        return pages
    translations = {
        page.translation_key: page
        for page in Page.objects.live().filter(locale=active, translation_key__in=keys).specific()
    }
    return [page if page.locale_id == active.id else translations.get(page.translation_key, page) for page in pages]
