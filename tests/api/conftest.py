"""The open data API is tested as its users meet it: an ordinary HTTP client (requests) against a
running server, outside Django's test client. The server shares the test's database transaction
(see tests/browser/server.py), so the demo content stays for later tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.server import SharedConnectionServer


@pytest.fixture(scope="session")
def api_server(django_db_setup, django_db_blocker) -> Iterator[SharedConnectionServer]:
    with django_db_blocker.unblock():
        server = SharedConnectionServer()
        server.start_serving()
    yield server
    server.stop()


@pytest.fixture
def api(api_server, db, settings):
    """The base URL of the running portal; the API's one base URL is set to it, as in production
    (WAGTAILAPI_BASE_URL is the public address)."""
    settings.WAGTAILAPI_BASE_URL = api_server.url
    return api_server.url
