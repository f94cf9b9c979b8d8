"""``{% organisation_position_papers organisation %}`` lists an organisation's published position
papers on its public page (visible copies only)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.access.users import viewer_of

register = template.Library()


@register.simple_tag(takes_context=True)
def position_papers_of(context: Any, organisation: Any) -> list[Any]:
    """``{% position_papers_of organisation as papers %}``: the papers the reader may see."""
    from ..selectors import papers_of

    return papers_of(organisation=organisation, user=viewer_of(context.get("request")))


@register.inclusion_tag("positions/includes/organisation_position_papers.html", takes_context=True)
def organisation_position_papers(context: Any, organisation: Any) -> dict[str, Any]:
    return {"papers": position_papers_of(context, organisation), "request": context.get("request")}
