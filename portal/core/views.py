"""Small site-wide views."""

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


def server_error(request):
    return render(request, "500.html", status=500)
