"""The home page's hearing blocks: open hearings by nearest deadline, and the newest published
responses. Only what an anonymous reader may see; each block costs the same few queries however
many hearings and responses there are (registered in HearingsConfig.ready())."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.access import generation
from portal.access.visibility import filter_viewable, viewable_pages
from portal.core.selectors import (
    HomeBlock,
    HomeItem,
    first_translations,
    in_active_language,
    localized_pages,
    register_home_block,
)

from . import selectors
from .models import HearingIndexPage, HearingPage, PublishedResponse, concluded_q


def _index_url(home: Page) -> str:
    """The hearing list in the home page's language: the same for every reader, so looked up once
    per content generation."""
    def url() -> str:
        index = HearingIndexPage.objects.live().filter(locale_id=home.locale_id).first()
        return index.url if index is not None else ""

    return generation.cached("hearing-index-url", (home.pk,), url)


def open_hearings(*, home: Page, size: int) -> HomeBlock:
    now = timezone.now()
    open_now = selectors.filter_by_status(
        viewable_pages(AnonymousUser(), HearingPage.objects.annotate(has_outcome=concluded_q())), "open", now
    ).order_by("deadline", "pk")
    # A hearing's language versions share a deadline: take the first ``size`` hearings, then each
    # in the reader's language.
    keys = first_translations(open_now.values_list("pk", "translation_key")[: size * 4], size=size)
    # Every language version of those hearings is open alike: pick the reader's language among them
    # (no query more, whichever languages exist).
    pages = in_active_language(open_now.filter(translation_key__in=keys))
    hearings = [pages[key] for key in keys if key in pages]
    items = [
        HomeItem(title=hearing.title, url=hearing.url or "", context=hearing.owner_unit, date=hearing.deadline,
                 date_label=_("Deadline"), note=selectors.countdown(hearing.deadline, now))
        for hearing in hearings
    ]
    return HomeBlock(key="open-hearings", heading=_("Open hearings"), items=items,
                     empty=_("No hearing is open for responses right now."),
                     more_url=_index_url(home), more_label=_("All hearings"))


def newest_responses(*, home: Page, size: int) -> HomeBlock:
    responses = list(
        filter_viewable(AnonymousUser(), PublishedResponse.objects.filter(withdrawn_at__isnull=True))
        .select_related("hearing", "organisation").order_by("-accepted_at", "-pk")[:size]
    )
    organisations = {o.translation_key: o for o in localized_pages({r.organisation for r in responses})}
    hearings = {h.translation_key: h for h in localized_pages({r.hearing for r in responses})}
    items = []
    for response in responses:
        hearing = hearings.get(response.hearing.translation_key, response.hearing)
        organisation = organisations.get(response.organisation.translation_key, response.organisation)
        # The response's own page under the hearing in the reader's language.
        response.hearing = hearing
        items.append(HomeItem(
            title=_("Response from %(organisation)s") % {"organisation": organisation.title},
            url=response.get_absolute_url(), context=hearing.title, date=response.accepted_at,
            date_label=_("Published"),
        ))
    return HomeBlock(key="new-responses", heading=_("Newest responses"), items=items,
                     empty=_("No responses have been published yet."))


def register() -> None:
    register_home_block("open-hearings", order=10, build=open_hearings)
    register_home_block("new-responses", order=40, build=newest_responses)

