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
