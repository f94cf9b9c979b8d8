"""Template tags for hearing pages.

``{% subpage_url page "route_name" arg %}`` is the URL of one of a page's routes (without needing
wagtail.contrib.routable_page in INSTALLED_APPS). ``{% organisation_responses organisation %}``
lists an organisation's published responses for its public page (released and visible only)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.access.users import viewer_of
from portal.access.visibility import filter_viewable

register = template.Library()


@register.simple_tag
def subpage_url(page: Any, name: str, *args: Any) -> str:
    url = page.url or ""
    return url.rstrip("/") + "/" + page.reverse_subpage(name, args=args or None).lstrip("/")


@register.simple_tag(takes_context=True)
def responses_of(context: Any, organisation: Any) -> list[Any]:
    """``{% responses_of organisation as responses %}``: the organisation's published responses the
    reader may see (so a page can tell whether it has published anything at all)."""
    from ..models import PublishedResponse

    return list(filter_viewable(viewer_of(context.get("request")), PublishedResponse.objects.filter(
        organisation__translation_key=organisation.translation_key
    )).select_related("hearing").prefetch_related("parts").order_by("-accepted_at"))


@register.inclusion_tag("hearings/includes/organisation_responses.html", takes_context=True)
def organisation_responses(context: Any, organisation: Any) -> dict[str, Any]:
    return {"responses": responses_of(context, organisation), "request": context.get("request")}
