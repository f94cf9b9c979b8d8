"""Small site-wide views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .sitemaps import PublicPagesSitemap


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def ping(request):
    """A trivial view: the baseline the load benchmark compares real pages against."""
    return HttpResponse("ok", content_type="text/plain")


def sitemap(request):
    from django.contrib.sitemaps.views import sitemap as django_sitemap

    return django_sitemap(request, sitemaps={"pages": PublicPagesSitemap(request)})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# Seconds a client (or nginx, or a load balancer) is asked to wait when the database cannot be reached.
DATABASE_RETRY_AFTER_SECONDS = 5


def server_error(request):
    # A database that is restarting or unreachable is a passing outage, not a bug: answer 503 with
    # Retry-After (the connection attempt already failed fast, see connect_timeout in production
    # settings), so proxies and readers know to come back. Django calls this inside its except block.
    _kind, error, _traceback = sys.exc_info()
    if isinstance(error, (OperationalError, InterfaceError)):
        response = render(request, "500.html", status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)


def open_data(request):
    """How to use the open data API, with examples that work against this portal's own address."""
    from wagtail.api.utils import get_base_url

    site = get_base_url(request) or request.build_absolute_uri("/").rstrip("/")
    return render(request, "core/open_data.html", {"api_base": f"{site}/api/v2", "site_base": site})
