"""An organisation's Atom feed: what it has published (hearing responses, position papers). The
kinds of content live in apps above this one, so each registers a source in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from portal.access.visibility import can_view
from portal.core.feeds import EntriesFeed, FeedEntry, anonymous

from .models import OrganisationPage

# Given the organisation, its entries an anonymous reader may see.
OrganisationSource = Callable[[OrganisationPage], list[FeedEntry]]
_sources: list[OrganisationSource] = []


def register_source(source: OrganisationSource) -> None:
    if source not in _sources:
        _sources.append(source)


class OrganisationFeed(EntriesFeed):
    def get_object(self, request: HttpRequest, organisation_id: int) -> OrganisationPage:
        organisation = OrganisationPage.objects.filter(pk=organisation_id).first()
        if organisation is None or not organisation.live or not can_view(anonymous(), organisation):
            raise Http404
        return organisation.localized

    def title(self, organisation: OrganisationPage) -> str:
        return _("Published by %(organisation)s") % {"organisation": organisation.title}

    def subtitle(self, organisation: OrganisationPage) -> str:
        return _("Hearing responses and position papers published by the organisation.")

    def link(self, organisation: OrganisationPage) -> str:
        return organisation.url or "/"

    def author_name(self, organisation: OrganisationPage) -> str:
        return organisation.title

    def entries(self, organisation: Any) -> list[FeedEntry]:
        return [entry for source in _sources for entry in source(organisation)]
