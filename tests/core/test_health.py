"""Health checks: /ping/ says the process answers; /ready/ says whether it can do useful work now
(database, cache, task queue) and names what failed with a 503, so a load balancer stops sending
readers to a server that cannot serve them."""

from __future__ import annotations

import socket

import pytest
from django.db import OperationalError

from portal.core import health

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ready_when_database_cache_and_queue_answer(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_not_ready_when_the_cache_is_down(client, settings):
    settings.CACHES = {"default": {"BACKEND": "portal.core.cache_backends.TolerantRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}}}
    response = client.get("/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError", "ms": body["checks"]["cache"]["ms"]}
    assert body["checks"]["database"]["ok"] is True
    # Pages still render without the cache: the readiness check reports it, pages do not suffer it.
    assert client.get("/").status_code == 200


def test_not_ready_when_the_database_is_down(client, monkeypatch):
    def refused():
        raise OperationalError('connection to server at "db.internal" failed: secret detail')

    monkeypatch.setitem(health.CHECKS, "database", refused)
    response = client.get("/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert "db.internal" not in response.content.decode()  # names what failed, never how or where


def test_a_database_outage_answers_503_with_retry_after(rf):
    from portal.core import views

    # Django calls handler500 inside its except block; a database that cannot be reached is a passing
    # outage (503, come back later), any other error a bug (500).
    try:
        raise OperationalError("the database system is starting up")
    except OperationalError:
        response = views.server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(views.DATABASE_RETRY_AFTER_SECONDS)
    assert "Noe gikk galt" in response.content.decode()
    try:
        raise KeyError("a bug")
    except KeyError:
        assert views.server_error(rf.get("/")).status_code == 500
