"""Rows nearly every request reads and that almost never change (the locales, the site for a host
name), kept per content generation (portal.access.generation, which advances when a locale or a
site is saved or deleted) instead of fetched several times per request.

Wagtail fetches the active Locale by language code wherever a page asks for its translation
(``page.localized``, ``Locale.get_active()``): 4 to 11 identical queries per page. Its manager has
no hook for caching, so :func:`install` replaces ``LocaleManager.get_for_language`` with a version
that reads the cached locales; every caller gets its own copy of the row.

Wagtail finds the page for a URL one path segment at a time, two queries per segment (the child by
its slug, then its specific row): six queries for a meeting three levels down, before the page does
anything. :func:`route_for_request` keeps where each URL led (page id and type) per content
generation, so a page is found again in one query.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.models.i18n import LocaleManager
from wagtail.url_routing import RouteResult

from portal.access import generation


def _locales() -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


def locale_for(language_code: str) -> Locale:
    """Wagtail's ``Locale.objects.get_for_language``, from the cached rows."""
    code = get_supported_content_language_variant(language_code)
    locale = generation.cached("locales", (), _locales).get(code)
    if locale is None:
        raise Locale.DoesNotExist(f"No locale for {code!r}")
    return copy.copy(locale)


def _get_for_language(self: LocaleManager, language_code: str) -> Locale:
    return locale_for(language_code)


# Wagtail's own routing (a plain function: ``route_for_request`` is a static method).
_wagtail_route_for_request = Page.route_for_request


def _located(result: RouteResult | None, root_depth: int, components: list[str]) -> tuple[str, int, int] | None:
    """Where a route led, as (page type, page id, depth below the root), when it led to the page
    itself; None for anything else (not found, or a page's own sub-route such as a council's space,
    whose URLs are not ours to count), which is then routed by Wagtail every time."""
    if result is None:
        return None
    page = result.page
    if page.depth - root_depth != len(components):
        return None
    return page._meta.label, page.pk, len(components)


def route_for_request(request: HttpRequest, path: str) -> RouteResult | None:
    """Wagtail's ``Page.route_for_request``, with the page a path leads to kept per content generation
    (which advances on every publish, unpublish, move, slug change, locale or site change): then
    the page is read in one query instead of two per path segment. Serving it stays Wagtail's: the
    fresh row's own ``route`` decides (not live: not found), and the privacy hooks run after it as
    before."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = Site.find_for_request(request)
    components = [component for component in path.split("/") if component]
    if site is None or (not components and site.root_page.locale_id == Locale.get_active().pk):
        # The home page in the site's language is the site's (cached) root page: no query at all.
        return _wagtail_route_for_request(request, path)
    routed: dict[str, Any] = {}

    def route() -> tuple[str, int, int] | None:
        routed["result"] = _wagtail_route_for_request(request, path)
        return _located(routed["result"], site.root_page.depth, components)

    digest = hashlib.sha256(path.encode()).hexdigest()
    located = generation.cached("route", (site.pk, get_language(), digest), route, keep=lambda value: value is not None)
    if "result" in routed:
        return routed["result"]
    if located is None:
        return _wagtail_route_for_request(request, path)
    label, pk, _depth = located
    page = apps.get_model(label).objects.filter(pk=pk).first()
    if page is None:
        return _wagtail_route_for_request(request, path)
    try:
        result = page.route(request, [])
    except Http404:
        result = None
    request._wagtail_route_for_request = result  # type: ignore[attr-defined]
    return result


def install() -> None:
    LocaleManager.get_for_language = _get_for_language
    Page.route_for_request = staticmethod(route_for_request)


# Answers that never ask for the site: no cache read for them (``/ping/`` is the load benchmark's
# baseline and must stay the trivial view it is).
NO_SITE_NEEDED = ("/ping/", "/ready/", "/robots.txt", "/static/", "/media/")


class SiteMiddleware:
    """Finds the Wagtail site for the request's host name and port once per content generation
    (Wagtail asks the database on every request) and hands it to ``Site.find_for_request``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(NO_SITE_NEEDED):
            return self.get_response(request)
        # As Wagtail does: no ALLOWED_HOSTS check (Django's private helper, which the stubs leave out).
        hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]
        port = request.get_port()
        site = generation.cached("site", (hostname, port), lambda: Site._find_for_request(request))
        # Each request gets its own copy: views may read (never write) attributes of the site.
        request._wagtail_site = copy.copy(site)  # type: ignore[attr-defined]
        return self.get_response(request)

