"""``{% organisation_position_papers organisation %}`` lists an organisation's published position
papers on its public page (visible copies only)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("positions/includes/organisation_position_papers.html", takes_context=True)
def organisation_position_papers(context: Any, organisation: Any) -> dict[str, Any]:
    from ..selectors import papers_of

    request = context.get("request")
    return {"papers": papers_of(organisation=organisation, user=getattr(request, "user", None)),
            "request": request}
