"""Atom feeds of hearings: one per hearing (responses as they are published, then the outcome), and
the hearing responses in each organisation's feed. Only what an anonymous reader may see: responses
held back until the deadline appear when they are released, withdrawn ones disappear."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from portal.access.visibility import can_view, filter_viewable
from portal.core.feeds import EntriesFeed, FeedEntry, anonymous, entry_id
from portal.core.selectors import localized_pages
from portal.security.text import html_to_paragraphs

from . import selectors
from .models import HearingOutcome, HearingPage, PublishedResponse


def _response_summary(response: PublishedResponse) -> str:
    parts = list(response.parts.all())
    lines = [html_to_paragraphs(response.general_remarks)] if response.general_remarks else []
    lines += [f"{part.section_number} ({part.get_kind_display()}): {part.comment}".strip(": ") for part in parts]
    return "\n\n".join(line for line in lines if line)


def response_entry(response: PublishedResponse, *, organisation_title: str, hearing_title: str) -> FeedEntry:
    return FeedEntry(
        id=f"urn:uuid:{response.key}",
        title=_("Response from %(organisation)s to “%(hearing)s”") % {
            "organisation": organisation_title, "hearing": hearing_title},
        link=response.get_absolute_url(),
        summary=_response_summary(response),
        author=organisation_title,
        published=response.accepted_at,
        updated=response.accepted_at,
    )


def _public_responses(queryset: Any) -> list[PublishedResponse]:
    return list(filter_viewable(anonymous(), queryset).filter(withdrawn_at__isnull=True))


class HearingFeed(EntriesFeed):
    def get_object(self, request: HttpRequest, hearing_id: int) -> HearingPage:
        hearing = HearingPage.objects.filter(pk=hearing_id).first()
        if hearing is None or not hearing.live or not can_view(anonymous(), hearing):
            raise Http404
        return hearing.localized

    def title(self, hearing: HearingPage) -> str:
        return _("Responses and outcome: %(hearing)s") % {"hearing": hearing.title}

    def subtitle(self, hearing: HearingPage) -> str:
        return _("Hearing responses as they are published, and the agency's outcome.")

    def link(self, hearing: HearingPage) -> str:
        return hearing.url or "/"

    def author_name(self, hearing: HearingPage) -> str:
        return hearing.owner_unit

    def entries(self, hearing: HearingPage) -> list[FeedEntry]:
        responses = _public_responses(selectors.published_responses(hearing))
        names = {o.translation_key: o.title for o in localized_pages({r.organisation for r in responses})}
        entries = [response_entry(r, hearing_title=hearing.title,
                                  organisation_title=names.get(r.organisation.translation_key) or r.organisation.title)
                   for r in responses]
        outcome = HearingOutcome.objects.filter(hearing_key=hearing.translation_key, published_at__isnull=False).first()
        if outcome is not None and outcome.published_at is not None:
            entries.append(FeedEntry(
                id=entry_id("hearing-outcome", hearing.translation_key),
                title=_("Outcome of the hearing “%(hearing)s”") % {"hearing": hearing.title},
                link=f"{hearing.url}#utfall", summary=outcome.summary, author=hearing.owner_unit,
                published=outcome.published_at, updated=outcome.published_at,
            ))
        return entries


def organisation_entries(organisation: Any) -> list[FeedEntry]:
    """The organisation's published responses, for its own feed."""
    responses = _public_responses(
        PublishedResponse.objects.filter(organisation__translation_key=organisation.translation_key)
        .select_related("hearing", "organisation")
    )
    hearings = {h.translation_key: h for h in localized_pages({r.hearing for r in responses})}
    return [response_entry(r, organisation_title=organisation.title,
                           hearing_title=hearings.get(r.hearing.translation_key, r.hearing).title) for r in responses]
