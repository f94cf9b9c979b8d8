"""The home page's council blocks: upcoming public meetings and the newest approved minutes. Public
meetings only (what an anonymous reader may see), whoever reads; a constant number of queries
(registered in MeetingsConfig.ready())."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from portal.access import generation
from portal.core.selectors import (
    HomeBlock,
    HomeItem,
    first_translations,
    in_active_language,
    localized_pages,
    register_home_block,
)
from portal.councils.models import CouncilPage

from .models import MeetingPage, Minutes
from .selectors import public_meetings


def _council_titles(meetings: list[MeetingPage]) -> dict[str, str]:
    """Each meeting's council (its parent) by title in the reader's language, keyed by the meeting's
    path. Which council a path leads to and what it is called are content: read once per content
    generation and language (one query then), for whichever meetings the blocks list."""
    parent_paths = sorted({meeting.path[: -MeetingPage.steplen] for meeting in meetings})
    if not parent_paths:
        return {}

    def titles() -> dict[str, str]:
        # The parents and their live translations in the reader's language, in one query.
        parents = CouncilPage.objects.filter(path__in=parent_paths)
        found = list(CouncilPage.objects.filter(
            Q(path__in=parent_paths)
            | Q(live=True, locale=Locale.get_active(), translation_key__in=parents.values("translation_key"))
        ))
        councils = [council for council in found if council.path in parent_paths]
        localized = in_active_language([*councils, *(council for council in found if council.live)])
        return {c.path: localized.get(c.translation_key, c).title for c in councils}

    digest = hashlib.sha256(",".join(parent_paths).encode()).hexdigest()
    by_path = generation.cached("council-titles", (get_language(), digest), titles)
    return {meeting.path: title for meeting in meetings
            if (title := by_path.get(meeting.path[: -MeetingPage.steplen])) is not None}


def upcoming_meetings(*, home: Page, size: int) -> HomeBlock:
    upcoming = public_meetings(AnonymousUser()).filter(
        status=MeetingPage.Status.PLANNED, start__gte=timezone.now()
    ).order_by("start", "pk")
    keys = first_translations(upcoming.values_list("pk", "translation_key")[: size * 4], size=size)
    # Every language version of those meetings is planned alike: pick the reader's language among
    # them (no query more, whichever languages exist).
    pages = in_active_language(upcoming.filter(translation_key__in=keys))
    meetings = [pages[key] for key in keys if key in pages]
    councils = _council_titles(meetings)
    items = [
        HomeItem(title=councils.get(meeting.path, meeting.title),
                 url=meeting.url or "", context=meeting.place, date=meeting.local_start, date_label=_("Time"))
        for meeting in meetings
    ]
    return HomeBlock(key="upcoming-meetings", heading=_("Upcoming council meetings"), items=items,
                     empty=_("No council meetings are planned right now."),
                     more_url=_archive_url(), more_label=_("All meetings"))


def _archive_url() -> str:
    from django.urls import reverse

    return reverse("meetings:archive")


def newest_minutes(*, home: Page, size: int) -> HomeBlock:
    meetings = public_meetings(AnonymousUser())
    minutes = list(
        Minutes.objects.filter(live=True, meeting__translation_key__in=meetings.values("translation_key"))
        .select_related("meeting").order_by("-first_published_at", "-pk")[:size]
    )
    localized = localized_pages([m.meeting for m in minutes])
    councils = _council_titles(localized)
    items = [
        HomeItem(title=councils.get(meeting.path, meeting.title),
                 url=meeting.url or "", context=meeting.title, date=record.first_published_at,
                 date_label=_("Published"))
        for record, meeting in zip(minutes, localized, strict=True)
    ]
    return HomeBlock(key="new-minutes", heading=_("Newest minutes"), items=items,
                     empty=_("No minutes have been published yet."),
                     more_url=_archive_url(), more_label=_("All meetings"))


def register() -> None:
    register_home_block("upcoming-meetings", order=20, build=upcoming_meetings)
    register_home_block("new-minutes", order=30, build=newest_minutes)
