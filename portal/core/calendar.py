"""Events that domain apps add to the portal's calendar feeds beside the meetings.

A shared service: apps register a source in their AppConfig.ready() (training courses, for one), and
the meetings' iCalendar feed asks :func:`events_for`. A source returns only what every reader may
see (the feeds are public)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: datetime.datetime
    end: datetime.datetime
    location: str
    description: str
    # Site path of the event's page; the feed makes it absolute.
    path: str


# name -> callable(council page or None for every council) returning public events.
EventSource = Callable[[Any], list[CalendarEvent]]
_sources: dict[str, EventSource] = {}


def register_event_source(name: str, source: EventSource) -> None:
    """Registering the same name again replaces the source."""
    _sources[name] = source


def events_for(council: Any | None = None) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for source in _sources.values():
        events.extend(source(council))
    return sorted(events, key=lambda event: (event.start, event.uid))
