"""Template helpers: the next meeting and latest minutes of a council (for the council page)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.meetings import selectors
from portal.meetings.feeds import exempt_label

register = template.Library()


@register.simple_tag(takes_context=True)
def council_meetings_summary(context: Any, council: Any) -> dict[str, Any]:
    user = context["request"].user
    latest = selectors.latest_minutes(council=council, user=user)
    return {
        "next_meeting": selectors.next_meeting(council=council, user=user),
        "latest_minutes": latest,
        "latest_meeting": latest.meeting.localized if latest else None,
        "is_member": selectors.is_council_member(user=user, council=council),
    }


@register.filter
def exempt(item: Any) -> str:
    return exempt_label(item)
