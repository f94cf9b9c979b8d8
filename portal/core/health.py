"""Health checks for load balancers and orchestrators.

- ``/ping/`` (``views.ping``) is liveness: the process answers. It touches nothing else, so a
  database outage does not make a supervisor restart every application server at once.
- ``/ready/`` is readiness: can this server do useful work now? It touches the database, the cache
  and the task queue's table, and answers 200 with what it found, or 503 with a JSON body naming
  each check that failed, so a load balancer stops sending readers to it until it recovers.

Neither says anything private: only names of checks and exception class names, never messages
(which may hold host names or credentials).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

QUEUE_APP = "django_tasks_db"
QUEUE_MODEL = ("django_tasks_database", "DBTaskResult")


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    # The tolerant Redis cache swallows errors (pages must render without it), so ask it directly.
    check = getattr(cache, "check", None)
    if check is not None:
        check()
        return {}
    key = f"portal-ready:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("cache did not keep a value")
    return {}


def check_queue() -> dict:
    if not apps.is_installed(QUEUE_APP):
        return {"skipped": "no database task queue installed"}
    model = apps.get_model(*QUEUE_MODEL)
    # Counting the waiting tasks touches the table (and its partial index); the figure helps operators.
    return {"queued": model.objects.filter(status="READY").count()}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
}


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict] = {}
    failed: list[str] = []
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail = check()
            results[name] = {"ok": True, **detail}
        except Exception as error:  # noqa: BLE001 - any failure means not ready; named, then logged
            logger.warning("Readiness check %s failed: %r", name, error)
            failed.append(name)
            results[name] = {"ok": False, "error": type(error).__name__}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)
