"""Security and caching headers on every response.

One middleware so that no response escapes: pages, errors, redirects, static files, documents, the
admin and the API all pass through it. It sits just inside Django's SecurityMiddleware, so on the
way out it sees the response after the session and CSRF middleware have added their cookies.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# The public site loads only its own stylesheet and scripts: an injected <script> or inline
# handler does not run even if some template forgets to escape. Nothing may frame the site.
PUBLIC_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Wagtail's admin still uses inline scripts and style attributes, and frames its own preview
# pane; it is only reachable by signed-in editors, and still may not be framed by other sites.
ADMIN_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

PRIVATE_CACHE_CONTROL = "private, no-store"
PUBLIC_CACHE_CONTROL = "public, max-age=60"
# Anonymous answers that are not plain pages (redirects to the log-in form, errors, POST results).
UNCACHED_CACHE_CONTROL = "no-cache"

# Set by views and hooks whose answer must never be stored by a shared cache even for an
# anonymous visitor (e.g. a document from a restricted collection).
PRIVATE_FLAG = "portal_private_response"


def mark_private(request: HttpRequest) -> None:
    """Mark this request's response as private (``Cache-Control: private, no-store``)."""
    setattr(request, PRIVATE_FLAG, True)


def is_admin_path(path: str) -> bool:
    return path.startswith("/admin/")


def content_security_policy(request: HttpRequest) -> str:
    return ADMIN_POLICY if is_admin_path(request.path) else PUBLIC_POLICY


def is_private_response(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a shared cache must never keep this response.

    - anything answered to a signed-in user (names, menus, private content differ per user);
    - anything that sets a cookie (a session or CSRF token belongs to one browser);
    - the admin, and anything a view or hook marked private (restricted documents).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if response.cookies:
        return True
    if getattr(request, PRIVATE_FLAG, False):
        return True
    return is_admin_path(request.path)


def cache_control(request: HttpRequest, response: HttpResponse) -> str:
    if is_private_response(request, response):
        return PRIVATE_CACHE_CONTROL
    existing = response.get("Cache-Control", "")
    if "private" in existing or "no-store" in existing:
        # The view already asked for less caching than we would give: keep it.
        return existing
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        # Static files come with their own (longer) public lifetime.
        return existing if existing.startswith("public") or "max-age" in existing else PUBLIC_CACHE_CONTROL
    return UNCACHED_CACHE_CONTROL


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Content-Security-Policy"] = content_security_policy(request)
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin"
        response["Cache-Control"] = cache_control(request, response)
        if response["Cache-Control"] == PRIVATE_CACHE_CONTROL:
            # A stale copy must not outlive the response either (HTTP/1.0 caches, old proxies).
            response["Expires"] = "0"
        else:
            # Signed-in readers send a session cookie: keep their copy apart from the public one.
            patch_vary_headers(response, ("Cookie",))
        return response
