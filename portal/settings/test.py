"""Fast, deterministic settings for the test suite."""

import os

from .base import *  # noqa: F403

# pytest-xdist runs the suite in several processes; each gets its own file roots, because each
# empties its private root when its session starts.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

DEBUG = False
# One shared in-memory database without concurrent writers: SQLite's own transaction mode, as the
# suite has always run (WAL does not apply to a database in memory).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{_WORKER}"  # noqa: F405
PORTAL_PRIVATE_ROOT = BASE_DIR / "var" / f"test-private-{_WORKER}"  # noqa: F405
STORAGES = {**STORAGES, "private": {**STORAGES["private"], "OPTIONS": {  # noqa: F405
    "location": str(PORTAL_PRIVATE_ROOT), "base_url": None}}}
# Most tests run tasks as they are enqueued; tests/core/test_background.py uses the database backend
# and runs the worker for real.
TASKS = {**TASKS, "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
