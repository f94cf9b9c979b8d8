"""Rows nearly every request reads and that almost never change (the locales, the site for a host
name), kept per content generation (portal.access.generation, which advances when a locale or a
site is saved or deleted) instead of fetched several times per request.

Wagtail fetches the active Locale by language code wherever a page asks for its translation
(``page.localized``, ``Locale.get_active()``): 4 to 11 identical queries per page. Its manager has
no hook for caching, so :func:`install` replaces ``LocaleManager.get_for_language`` with a version
that reads the cached locales; every caller gets its own copy of the row.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Site
from wagtail.models.i18n import LocaleManager

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


def install() -> None:
    LocaleManager.get_for_language = _get_for_language


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

