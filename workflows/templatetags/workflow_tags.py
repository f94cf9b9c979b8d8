"""Template tags other apps use to show workflow state on their own pages.

    {% load workflow_tags %}
    {% include "workflows/history.html" with object=page %}

The include asks the selector itself, so it shows nothing to anyone who may not see the object.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_history(context: Any, obj: Any) -> list[selectors.HistoryEntry]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.history_for(obj, user) if user is not None else []


@register.simple_tag(takes_context=True)
def unread_notification_count(context: Any) -> int:
    request = context.get("request")
    return selectors.unread_count(getattr(request, "user", AnonymousUser()))


@register.simple_tag(takes_context=True)
def waiting_review_count(context: Any) -> int:
    """How many submissions wait for this person's decision (the link to the queue shows when any do)."""
    request = context.get("request")
    return selectors.waiting_review_count(getattr(request, "user", AnonymousUser()))
