"""The adapter for every page: which council and organisation facets it contributes. Page types
with more to say (hearings' status and deadline, meetings' date) register their own from their apps
(see search.registry)."""

from __future__ import annotations

from wagtail.models import Page

from portal.access.membership import council_of, organisation_of

from .registry import Entry, PageAdapter, register


class PortalPageAdapter(PageAdapter):
    """Every page: council / organisation facets from the nearest council or organisation page
    above it (a council's meetings and minutes belong to that council)."""

    def complete(self, page: Page, entry: Entry) -> None:
        entry.council = council_of(page)
        entry.organisation = organisation_of(page)


def register_page_adapters() -> None:
    register(Page, PortalPageAdapter())
