"""Calendar (iCalendar) and news (Atom) feeds. Feeds are public: whoever asks gets what an anonymous
reader may see, and confidential items appear only as the placeholder with their legal basis."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import icalendar
from django.contrib.syndication.views import Feed
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry

from portal.core.calendar import CalendarEvent, events_for
from portal.core.feeds import TextAtomFeed, entry_id

from . import selectors
from .models import OSLO, MeetingPage, Minutes
from .views import _public_council


def exempt_label(item: Any) -> str:
    return _("Exempt from public disclosure, %(basis)s") % {"basis": item.legal_basis_label}


def public_item_line(item: Any) -> str:
    title = exempt_label(item) if item.confidential else item.title
    return f"{item.case_number} {title}".strip()


# --- iCalendar -----------------------------------------------------------------------------------------------


def _sequences(meetings: list[MeetingPage]) -> dict[Any, int]:
    """RFC 5545's SEQUENCE: how often the meeting was published again after the first time. Calendar
    programs take a changed time or a cancellation only when the number has grown."""
    counts = (
        PageLogEntry.objects.filter(page__translation_key__in=[m.translation_key for m in meetings],
                                    action="wagtail.publish")
        .values("page__translation_key").annotate(published=Count("pk"))
    )
    return {row["page__translation_key"]: max(row["published"] - 1, 0) for row in counts}


def calendar_text(request: HttpRequest, meetings: list[MeetingPage], name: str,
                  events: Sequence[CalendarEvent] = ()) -> str:
    now = timezone.now().astimezone(datetime.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Brukermedvirkning//Motekalender//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    sequences = _sequences(meetings)
    for meeting in meetings:
        council = meeting.get_parent()
        end = meeting.end or meeting.start + datetime.timedelta(hours=2)
        agenda = "\n".join(public_item_line(item) for item in meeting.agenda_items.all())
        location = meeting.place or meeting.online_link
        event = icalendar.Event()
        # The UID follows the meeting in every language and through every change.
        event.add("uid", f"meeting-{meeting.translation_key}@brukermedvirkning")
        event.add("dtstamp", now)
        # Local Oslo time with its VTIMEZONE: the meeting stays at 10:00 across a summer-time change.
        event.add("dtstart", meeting.start.astimezone(OSLO))
        event.add("dtend", end.astimezone(OSLO))
        event.add("summary", f"{council.title}: {meeting.title}")
        event.add("url", request.build_absolute_uri(meeting.url or "/"))
        cancelled = meeting.status == MeetingPage.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", sequences.get(meeting.translation_key, 0))
        if meeting.last_published_at:
            event.add("last-modified", meeting.last_published_at.astimezone(datetime.UTC))
        if location:
            event.add("location", location)
        if agenda:
            event.add("description", agenda)
        cal.add_component(event)
    # Other apps' public events (training courses), registered in portal.core.calendar.
    for extra in events:
        event = icalendar.Event()
        event.add("uid", extra.uid)
        event.add("dtstamp", now)
        event.add("dtstart", extra.start.astimezone(OSLO))
        event.add("dtend", extra.end.astimezone(OSLO))
        event.add("summary", extra.summary)
        event.add("url", request.build_absolute_uri(extra.path))
        event.add("status", "CONFIRMED")
        if extra.location:
            event.add("location", extra.location)
        if extra.description:
            event.add("description", extra.description)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def calendar(request: HttpRequest, council_id: int | None = None) -> HttpResponse:
    council = _public_council(council_id) if council_id is not None else None
    meetings = selectors.feed_meetings(council=council)
    name = council.localized.title if council else _("Council meetings")
    text = calendar_text(request, meetings, name, events_for(council))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="moter.ics"'
    return response


# --- Atom -------------------------------------------------------------------------------------------------------


class MinutesFeed(Feed):
    feed_type = TextAtomFeed

    def get_object(self, request: HttpRequest, council_id: int | None = None) -> Any:
        return _public_council(council_id) if council_id is not None else None

    def title(self, council: Any) -> str:
        if council is None:
            return _("Minutes from the user councils")
        return _("Minutes: %(council)s") % {"council": council.localized.title}

    def link(self, council: Any) -> str:
        return council.localized.url if council is not None else "/"

    def subtitle(self, council: Any) -> str:
        return _("Published minutes of council meetings.")

    def author_name(self, council: Any) -> str:
        return council.localized.title if council is not None else _("The user councils")

    def items(self, council: Any) -> list[Minutes]:
        return selectors.feed_minutes(council=council)

    def item_title(self, minutes: Minutes) -> str:
        meeting = minutes.meeting.localized
        return _("Minutes: %(meeting)s") % {"meeting": f"{meeting.get_parent().title} – {meeting.title}"}

    def item_description(self, minutes: Minutes) -> str:
        lines = []
        for entry in minutes.entries.select_related("agenda_item"):
            item = entry.agenda_item
            if item.confidential:
                lines.append(public_item_line(item))
            else:
                lines.append(f"{public_item_line(item)}: {entry.conclusion}".rstrip(": "))
        if minutes.corrected_at:
            lines.append(_("Corrected on %(date)s: %(note)s") % {
                "date": date_format(timezone.localtime(minutes.corrected_at), "SHORT_DATE_FORMAT"),
                "note": minutes.correction_note})
        return "\n".join(lines)

    def item_link(self, minutes: Minutes) -> str:
        return minutes.meeting.localized.url or "/"

    def item_guid(self, minutes: Minutes) -> str:
        return entry_id("minutes", minutes.meeting.translation_key)

    def item_author_name(self, minutes: Minutes) -> str:
        return minutes.meeting.localized.get_parent().title

    def item_pubdate(self, minutes: Minutes) -> Any:
        return minutes.published_at

    def item_updateddate(self, minutes: Minutes) -> Any:
        return minutes.corrected_at or minutes.published_at
