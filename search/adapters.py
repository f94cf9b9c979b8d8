"""Adapters for the foundation's page types: which facets (status, date, council, organisation)
each page contributes. Other apps register their own (see search.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .registry import Entry, PageAdapter, register


def _nearest_ancestor(page: Page, model: type[Page]) -> Page | None:
    if isinstance(page, model):
        return page
    return model.objects.filter(pk__in=page.get_ancestors().values("pk")).order_by("-depth").first()


class PortalPageAdapter(PageAdapter):
    """Every page: council / organisation facets from the nearest council or organisation page
    above it (a council's meetings and minutes belong to that council)."""

    def complete(self, page: Page, entry: Entry) -> None:
        from portal.councils.models import CouncilPage
        from portal.organisations.models import OrganisationPage

        entry.council = _nearest_ancestor(page, CouncilPage)
        entry.organisation = _nearest_ancestor(page, OrganisationPage)


class HearingAdapter(PortalPageAdapter):
    kind_label = _("hearing")

    def complete(self, page: Page, entry: Entry) -> None:
        super().complete(page, entry)
        entry.status = page.status
        entry.date = page.deadline
        entry.date_kind = "deadline"
        # The hearing document itself (høringsnotat) is usually an attachment: its text is the
        # hearing's. Attachments of a public hearing are public (served with the page).
        entry.attachments = [
            *entry.attachments,
            *(attachment.document for attachment in page.attachments.select_related("document")),
        ]


def register_page_adapters() -> None:
    from portal.hearings.models import HearingPage

    register(Page, PortalPageAdapter())
    register(HearingPage, HearingAdapter())
