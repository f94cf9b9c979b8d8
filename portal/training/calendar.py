"""Courses as calendar events, for the meeting calendar feed to include beside the meetings.
Courses are public (as their council), so every reader gets the same events; who signed up is
never part of an event."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.calendar import CalendarEvent

from . import selectors


def course_events(*, council: Any | None = None) -> list[CalendarEvent]:
    """Upcoming courses of live councils (one council's, or all), in the active language."""
    events = []
    for course in selectors.describe(courses=selectors.upcoming_courses(council=council)):
        council_title = course.localized_council.title
        arrangers = ", ".join(course.arranger_names)
        events.append(CalendarEvent(
            uid=f"training-course-{course.pk}@brukermedvirkning",
            summary=f"{council_title}: {course.title}",
            start=course.starts,
            end=course.ends,
            location=course.place or (_("Online") if course.online else ""),
            description=_("%(module)s. Arranged by %(arrangers)s. Sign up by %(deadline)s.") % {
                "module": course.get_module_display(), "arrangers": arrangers,
                "deadline": course.signup_deadline.date().isoformat(),
            },
            path=reverse("training:course", args=[course.pk]),
        ))
    return events
