"""The training section of a council's public page: the count of members who completed both
modules (numbers only) and the council's upcoming courses."""

from __future__ import annotations

from typing import Any

from django import template

from portal.councils import selectors as councils

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def council_training_summary(context: Any, council: Any, members: Any = None) -> dict[str, Any]:
    """``members``: the council's current memberships the page lists already (saves reading them
    again for the count)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    source = councils.source_council(council)
    courses = selectors.describe(courses=selectors.upcoming_courses(council=source))
    return {
        "count": selectors.public_count(council=source, current=members if isinstance(members, list) else None),
        "courses": courses,
        "follows": selectors.follows_training(user=user, council=source) if user is not None else False,
        "may_create": selectors.may_create_courses(user=user, council=source) if user is not None else False,
        "council_id": source.pk,
    }


@register.simple_tag
def module_courses(module: int) -> list[Any]:
    """The module page's upcoming courses (the page model leaves reads to the selectors)."""
    return selectors.describe(courses=selectors.upcoming_courses(module=module))
