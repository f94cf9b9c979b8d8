"""The tolerant Redis cache (portal/core/cache_backends.py): with Redis up it is Django's RedisCache;
with Redis down or frozen, pages are served uncached instead of answering 500, and when Redis comes
back, pages cached before the outage are not served again."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from redis.exceptions import RedisError

from portal.core import page_cache
from portal.core.cache_backends import TolerantRedisCache

ROOT = Path(__file__).resolve().parents[2]
SHARED_REDIS = "redis://127.0.0.1:6379/0"  # the machine's Redis (README: Redis at 127.0.0.1:6379)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def tolerant(url: str, **options) -> TolerantRedisCache:
    return TolerantRedisCache(url, {
        "KEY_PREFIX": f"test-cluster-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, **options},
    })


@pytest.fixture
def shared_redis():
    cache = tolerant(SHARED_REDIS)
    cache.check()  # the happy path needs the real Redis: fail loudly if it is not there
    yield cache
    client = cache._cache.get_client(None, write=True)
    keys = list(client.scan_iter(f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)


def test_with_redis_up_it_is_a_normal_cache(shared_redis):
    cache = shared_redis
    assert cache.get("missing", "fallback") == "fallback"
    cache.set("page", (b"<html>", "text/html"), 30)
    assert cache.get("page") == (b"<html>", "text/html")
    assert cache.add("page", "other") is False
    assert cache.add("fresh", "value") is True
    assert cache.get_many(["page", "fresh", "missing"]) == {"page": (b"<html>", "text/html"), "fresh": "value"}
    cache.set("count", 1)
    assert cache.incr("count") == 2
    assert cache.delete("page") is True
    assert cache.get("page") is None
    # Keys carry the prefix, so a test (or a second portal) never touches anyone else's keys.
    client = cache._cache.get_client(None, write=True)
    assert {key.decode() for key in client.scan_iter(f"{cache.key_prefix}:*")} == {
        cache.make_key("fresh"), cache.make_key("count")}


def test_with_redis_down_every_call_is_a_miss_not_an_error(caplog):
    cache = tolerant(f"redis://127.0.0.1:{closed_port()}/0")
    assert cache.get("page", "fallback") == "fallback"
    cache.set("page", "value")  # does not raise
    assert cache.add("page", "value") is False
    assert cache.has_key("page") is False
    assert cache.get_many(["a", "b"]) == {}
    cache.delete_many(["a"])
    with pytest.raises(ValueError):
        cache.incr("count")  # Django's contract for a counter it cannot find
    with pytest.raises(RedisError):
        cache.check()  # the readiness check is told the truth
    assert "Cache unavailable" in caplog.text


def test_after_an_error_redis_is_left_alone_for_a_pause():
    cache = tolerant(f"redis://127.0.0.1:{closed_port()}/0", RETRY_SECONDS=60)
    assert cache.get("x") is None
    calls = []
    cache._cache.get = lambda *args: calls.append(args)  # would be the next attempt at Redis
    for _ in range(20):
        assert cache.get("x", "fallback") == "fallback"
    assert calls == []


@pytest.fixture
def own_redis():
    """A Redis server of the test's own, so it can be frozen (SIGSTOP) without touching the shared one."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = closed_port()
    server = subprocess.Popen(  # noqa: S603 - the installed redis-server, fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL)
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield server, port
    server.kill()
    server.wait()


def test_pages_cached_before_an_outage_are_not_served_after_it(own_redis):
    server, port = own_redis
    cache = tolerant(f"redis://127.0.0.1:{port}/0", RETRY_SECONDS=0, FORGET_AFTER_OUTAGE=[page_cache.GENERATION_KEY])
    cache.set(page_cache.GENERATION_KEY, "before-the-outage", None)
    server.send_signal(19)  # SIGSTOP: Redis freezes, keeping its data
    try:
        started = time.monotonic()
        # A publish during the outage cannot start a new generation...
        cache.set(page_cache.GENERATION_KEY, "during-the-outage", None)
        assert time.monotonic() - started < 2  # ...and costs the request only the short socket timeout
    finally:
        server.send_signal(18)  # SIGCONT: Redis is back with the old generation
    # ...so the first call after the outage forgets the old generation: its pages are never served.
    # (the frozen SET may still land when Redis resumes: either way, not the old generation)
    assert cache.get(page_cache.GENERATION_KEY) != "before-the-outage"


def production_caches(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update(SECRET_KEY="k" * 60, **env)
    output = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", "import json, portal.settings.production as s; print(json.dumps(s.CACHES))"],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=True).stdout
    return json.loads(output)


@pytest.mark.django_db
def test_public_pages_render_with_redis_down(client, settings):
    # The production cache settings, pointed at a port where no Redis listens.
    settings.CACHES = production_caches(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    assert caches["default"].__class__ is TolerantRedisCache
    for path in ("/", "/horinger/", "/search/?q=brukerutvalg"):
        first, second = client.get(path), client.get(path)
        assert first.status_code == second.status_code == 200, path
        assert second.get("X-Portal-Page-Cache") != "hit"  # served uncached, every time


@pytest.mark.django_db
def test_the_page_cache_is_shared_through_redis(client, settings, shared_redis):
    # Two application servers share the page cache and its generation: one server's publish
    # (a new generation) is seen by the other at once.
    settings.CACHES = {"default": {"BACKEND": "portal.core.cache_backends.TolerantRedisCache",
                                   "LOCATION": SHARED_REDIS, "KEY_PREFIX": shared_redis.key_prefix}}
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    client.get("/")
    assert client.get("/")["X-Portal-Page-Cache"] == "hit"
    other_server = tolerant(SHARED_REDIS)
    other_server.key_prefix = shared_redis.key_prefix
    other_server.set(page_cache.GENERATION_KEY, "published-elsewhere", None)
    assert client.get("/")["X-Portal-Page-Cache"] == "miss"
