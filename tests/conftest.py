"""Shared fixtures: the demo content is loaded once into the test database, and every test runs
inside a transaction on top of it, so tests see realistic data and still start clean. Test modules
marked ``factories`` build what they need (tests/factories/) on the site's skeleton alone: a run
that selects only such tests (``-m factories``, or those modules by path) skips the demo."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.helpers import PortalClient, demo_page, demo_user  # noqa: F401 - re-exported for tests


def only_factories(items) -> bool:
    """Whether every selected test builds what it needs (marker ``factories``): then the session
    needs only the site's skeleton, not the whole demo (which takes most of a short run's time)."""
    return bool(items) and all(item.get_closest_marker("factories") for item in items)


def load_skeleton() -> None:
    from django.db import transaction

    from portal.demo import site
    from portal.demo.builder import Demo

    with transaction.atomic():
        site.load_skeleton(Demo())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    # Private files (originals, exports) live where the storage was set up at import: start empty.
    shutil.rmtree(settings.PORTAL_PRIVATE_ROOT, ignore_errors=True)
    with django_db_blocker.unblock():
        if only_factories(request.session.items):
            load_skeleton()
        else:
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: values cached under a content generation by one test
    (the layout's chrome, the view-restriction rows) must not outlive the rows the test rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Bokmål: a request in another language must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def client():
    """pytest-django's client, except that ``force_login`` also passes the second factor for people
    who need one (tests.helpers.PortalClient); the sign-in journey itself is tested through the
    forms in tests/security/test_two_factor.py."""
    return PortalClient()


@pytest.fixture
def anonymous_client(client):
    return client


@pytest.fixture
def login(client):
    """Log the client in as a demo user by username; returns the client."""

    def _login(username: str):
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))
        return client

    return _login


@pytest.fixture
def database_tasks(settings):
    """The real queue (django-tasks-db) instead of the test settings' immediate backend: enqueued
    tasks wait in the database until a worker runs them (``run_worker`` below, in this process)."""
    settings.TASKS = {**settings.TASKS, "background": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


@pytest.fixture
def run_worker(database_tasks):
    """Run every ready task as a worker would (portal.core.background.run_once); returns how many ran."""
    from portal.core import background

    def _run(worker_id: str = "test-worker") -> int:
        ran = 0
        while background.run_once(worker_id=worker_id):
            ran += 1
        return ran

    return _run
