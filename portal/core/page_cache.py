"""A short-lived cache of whole public pages as anonymous readers get them.

Only what every anonymous reader would get anyway is kept, and only anonymous readers are served from
it, so nothing private can come out of it:

- served and stored only for GET requests without a session or messages cookie (anyone signed in
  has a session cookie, so a signed-in reader never gets a cached page and never fills one);
- stored only when the answer is a 200 HTML page that sets no cookie, used no CSRF token, was not
  marked private (``portal.security.headers.is_private_response``: signed-in user, cookies, admin,
  restricted documents) and did not itself ask not to be cached;
- never for the admin, documents or the API.

Every save or delete of any model (pages, memberships, view restrictions, groups…) and every
publish/unpublish starts a new cache generation, so an edit shows at once in this process and in
every worker sharing the cache; ``PORTAL_PAGE_CACHE_SECONDS`` bounds what no signal announces (a
hearing's deadline passing). Production points ``CACHES`` at Redis (``portal.core.cache_backends``),
so every application server shares the generation; with Redis down pages are served uncached.
Off when ``PORTAL_PAGE_CACHE_SECONDS`` is 0 (development and tests, unless a test turns it on).

Drafts are the exception (``DRAFT_MODELS``, and page saves that touch only draft fields): an editor
saving, autosaving or sending a draft through review changes nothing an anonymous reader sees, so
readers keep their cached pages while editors work; publishing starts a new generation as before.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page

from portal.access.generation import DRAFT_FIELDS
from portal.security.headers import is_private_response

GENERATION_KEY = "portal-page-cache:generation"
# Never cached: private or per-user areas, and non-page answers (no lookup cost for them either).
SKIPPED_PREFIXES = ("/admin/", "/documents/", "/api/", "/accounts/", "/static/", "/media/", "/ping/", "/ready/",
                    "/sitemap.xml", "/robots.txt", "/i18n/")
# Saves that change nothing a reader sees and happen on every signed-in request or edit ping (or
# every few seconds of an owner's export).
IGNORED_MODELS = {"sessions.session", "wagtailadmin.editingsession", "axes.accessattempt", "axes.accesslog",
                  "hearings.exportjob",
                  # The task queue's bookkeeping (portal/core/background.py) changes no page.
                  "django_tasks_database.dbtaskresult", "core.taskworker", "core.oncekey"}


def seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0) or 0)


def _start_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def new_generation(**_kwargs) -> None:
    """Forget every cached page (by moving to a new generation of keys).

    Once at the save, and once more when its transaction commits: a reader on another server who
    missed the cache between the two got the page as it was before the commit and stored it under
    the new generation; without the second start, that old page would be served until it expires.
    """
    if not seconds():
        return
    _start_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(item[1] is _start_generation for item in connection.run_on_commit):
        transaction.on_commit(_start_generation)


# Rows an editor writes while working on a draft: none of them changes what a reader sees (publishing
# does, and starts a new generation through the page's own save and ``page_published``). Readers keep
# the cached pages while editors save, comment, autosave and move drafts through review.
DRAFT_MODELS = {"wagtailcore.revision", "wagtailcore.pagelogentry", "wagtailcore.modellogentry",
                "wagtailcore.workflowstate", "wagtailcore.taskstate", "wagtailcore.comment",
                "wagtailcore.commentreply", "wagtailcore.pagesubscription", "wagtailcore.referenceindex",
                "editor.draftcomment", "editor.editorpresence", "editor.autosave", "portal_workflows.notification"}


def on_model_change(sender, **kwargs) -> None:
    label = sender._meta.label_lower
    if label in IGNORED_MODELS or label in DRAFT_MODELS:
        return
    update_fields = kwargs.get("update_fields")
    if isinstance(kwargs.get("instance"), Page) and update_fields and set(update_fields) <= DRAFT_FIELDS:
        return  # a draft saved on the page row (latest revision, draft title): the live page is unchanged
    new_generation()


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method != "GET" or request.path.startswith(SKIPPED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or is_private_response(request, response):
        return False
    asked = response.get("Cache-Control", "")
    return not any(word in asked for word in ("private", "no-store", "no-cache", "max-age=0"))


def _key(request: HttpRequest, generation: str) -> str:
    language = getattr(request, "LANGUAGE_CODE", "")
    digest = hashlib.sha256(f"{request.get_host()}\n{language}\n{request.get_full_path()}".encode()).hexdigest()
    return f"portal-page-cache:{generation}:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lifetime = seconds()
        if not lifetime or not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request, _generation())
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            cache.set(key, (response.content, response["Content-Type"]), lifetime)
            response["X-Portal-Page-Cache"] = "miss"
        return response
