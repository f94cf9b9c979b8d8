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


def _located(result: RouteResult | None, components: list[str], root_depth: int) -> tuple[str, int, int] | None:
    """Where a route led, as (page type, page id, number of path segments to that page), when it led
    to a page whose own path is the first segments of this one (the page itself, or a routable page
    serving the rest, such as a council's space); None for anything else."""
    if result is None:
        return None
    page = result.page
    length = page.depth - root_depth
    if not 0 <= length <= len(components):
        return None
    if length and page.url_path.strip("/").split("/")[-length:] != components[:length]:
        return None
    return page._meta.label, page.pk, length


def _key(site: Site, components: list[str]) -> tuple[Any, ...]:
    return site.pk, get_language(), hashlib.sha256("/".join(components).encode()).hexdigest()


def _remember(site: Site, components: list[str], result: RouteResult | None) -> None:
    """Keep the page a path led to under the page's own path (never under a sub-route's path: only
    pages are kept, so the outside world cannot fill the cache)."""
    located = _located(result, components, site.root_page.depth)
    if located is not None:
        generation.cached("route-page", _key(site, components[: located[2]]), lambda: located)


def _known(site: Site, components: list[str]) -> tuple[str, int, int] | None:
    """The page at this path or, failing that, the nearest page above it, if a route led there before
    in this content generation."""
    for length in range(len(components), -1, -1):
        located = generation.cached("route-page", _key(site, components[:length]), lambda: None,
                                    keep=lambda _value: False)
        if located is not None and located[2] == length:
            return located
    return None


def route_for_request(request: HttpRequest, path: str) -> RouteResult | None:
    """Wagtail's ``Page.route_for_request``, with the page a path leads to kept per content generation
    (which advances on every publish, unpublish, move, slug change, locale or site change): then
    the page is read in one query instead of two per path segment. Serving it stays Wagtail's: the
    fresh row's own ``route`` decides (not live: not found; the rest of the path, such as a council's
    space or a child page, as Wagtail does once it reached that page), and the privacy hooks run
    after it as before."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = Site.find_for_request(request)
    components = [component for component in path.split("/") if component]
    if site is None or (not components and site.root_page.locale_id == Locale.get_active().pk):
        # The home page in the site's language is the site's (cached) root page: no query at all.
        return _wagtail_route_for_request(request, path)
    located = _known(site, components)
    page = apps.get_model(located[0]).objects.filter(pk=located[1]).first() if located is not None else None
    if located is None or page is None:
        result = _wagtail_route_for_request(request, path)
        _remember(site, components, result)
        return result
    try:
        result = page.route(request, components[located[2]:])
    except Http404:
        result = None
    if result is not None and result.page.pk != page.pk:
        _remember(site, components, result)  # a page below the one known (a council's meeting)
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

