"""Calendar (iCalendar) and news (Atom) feeds. Feeds are public: whoever asks gets what an anonymous
reader may see, and confidential items appear only as the placeholder with their legal basis."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.core.calendar import CalendarEvent, events_for

from . import selectors
from .models import MeetingPage, Minutes
from .views import _public_council


def exempt_label(item: Any) -> str:
    return _("Exempt from public disclosure, %(basis)s") % {"basis": item.legal_basis_label}


def public_item_line(item: Any) -> str:
    title = exempt_label(item) if item.confidential else item.title
    return f"{item.case_number} {title}".strip()


# --- iCalendar -----------------------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets are folded with CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(request: HttpRequest, meetings: list[MeetingPage], name: str,
                  events: Sequence[CalendarEvent] = ()) -> str:
    now = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Brukermedvirkning//Motekalender//NO",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}", "X-WR-TIMEZONE:Europe/Oslo"]
    for meeting in meetings:
        council = meeting.get_parent()
        end = meeting.end or meeting.start + datetime.timedelta(hours=2)
        agenda = "\n".join(public_item_line(item) for item in meeting.agenda_items.all())
        location = meeting.place or meeting.online_link
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.translation_key}@brukermedvirkning",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(meeting.start)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape(f'{council.title}: {meeting.title}')}",
            f"URL:{request.build_absolute_uri(meeting.url or '/')}",
            "STATUS:CANCELLED" if meeting.status == MeetingPage.Status.CANCELLED else "STATUS:CONFIRMED",
        ]
        if location:
            lines.append(f"LOCATION:{_escape(location)}")
        if agenda:
            lines.append(f"DESCRIPTION:{_escape(agenda)}")
        lines.append("END:VEVENT")
    # Other apps' public events (training courses), registered in portal.core.calendar.
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{now}", f"DTSTART:{_utc(event.start)}",
                  f"DTEND:{_utc(event.end)}", f"SUMMARY:{_escape(event.summary)}",
                  f"URL:{request.build_absolute_uri(event.path)}", "STATUS:CONFIRMED"]
        if event.location:
            lines.append(f"LOCATION:{_escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


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
    feed_type = Atom1Feed

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
                "date": timezone.localtime(minutes.corrected_at).strftime("%d.%m.%Y"), "note": minutes.correction_note})
        return "\n".join(lines)

    def item_link(self, minutes: Minutes) -> str:
        return minutes.meeting.localized.url or "/"

    def item_guid(self, minutes: Minutes) -> str:
        return f"minutes-{minutes.meeting.translation_key}"

    def item_pubdate(self, minutes: Minutes) -> Any:
        return minutes.published_at

    def item_updateddate(self, minutes: Minutes) -> Any:
        return minutes.corrected_at or minutes.published_at
