"""Reads for site-wide pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    url: str


def home_sections(*, home: Page) -> list[Section]:
    """The portal's sections as linked from the home page, in the page's language."""
    from portal.councils.models import CouncilIndexPage
    from portal.hearings.models import HearingIndexPage
    from portal.organisations.models import OrganisationIndexPage
    from portal.positions.models import PositionPaperIndexPage

    descriptions = {
        HearingIndexPage: _("Drafts from the agency that organisations can respond to, and the responses."),
        CouncilIndexPage: _("User councils at national, county and local level: members, meetings and minutes."),
        OrganisationIndexPage: _("User organisations taking part, their members and what they publish."),
        PositionPaperIndexPage: _("Organisations' standpoints on topics that matter to users."),
    }
    children = {type(page): page for page in home.get_children().live().public().specific()}
    sections = [
        Section(title=page.title, description=descriptions[model], url=page.url)
        for model in descriptions
        if (page := children.get(model)) is not None
    ]
    sections.append(
        Section(title=_("Search"), description=_("Find hearings, responses, councils and minutes."),
                url=reverse("search"))
    )
    return sections


def localized_pages(pages) -> list[Page]:
    """Each page's live translation in the active language (the page itself when there is none), in
    two queries for the whole list. ``page.localized`` in a loop costs a query or two per page."""
    from wagtail.models import Locale

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
