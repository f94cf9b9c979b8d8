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
    return {
        **selectors.meetings_summary(council=council, user=user),
        "is_member": selectors.is_council_member(user=user, council=council),
    }


@register.filter
def exempt(item: Any) -> str:
    return exempt_label(item)
