"""A Redis cache that a Redis outage cannot turn into server errors.

Django's ``RedisCache`` raises on every connection error, so with Redis down every page that
touches the cache (the anonymous page cache touches it on every public page) would answer 500.
The cache only ever holds copies of what the database already has, so losing it costs speed,
never data: this subclass logs the error and answers as a miss (``get`` gives the default, ``add``
and ``has_key`` give False, writes do nothing).

- **Short timeouts.** ``socket_connect_timeout``/``socket_timeout`` (OPTIONS, set in production
  settings) bound what a request waits for a Redis that does not answer at all.
- **Circuit breaker.** After an error the process does not try Redis again for
  ``RETRY_SECONDS`` (default 5): a page that makes several cache calls pays the timeout once per
  pause, not once per call.
- **Forget after an outage.** A write that failed during the outage (a publish starting a new page
  cache generation, say) never reached Redis; if Redis comes back with its old data, pages cached
  before the publish would be served again — a page made private among them. So the first call
  that succeeds after an outage first deletes the keys named in ``FORGET_AFTER_OUTAGE`` (the page
  cache's generation key), which orphans every page cached before.

``check()`` is for the readiness view: it raises instead of swallowing, so an operator sees that
Redis is down even though pages still render.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        # Ours, not redis-py's: RedisCache hands every other option to the connection pool.
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.forget_after_outage = list(options.pop("FORGET_AFTER_OUTAGE", []))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._had_outage = False

    def _call(self, operation: str, default: Any, function: Callable[[], Any]) -> Any:
        if time.monotonic() < self._down_until:
            return default
        try:
            if self._had_outage:
                self._recover()
            return function()
        except RedisError as error:
            self._note_outage(operation, error)
            return default

    def _note_outage(self, operation: str, error: Exception) -> None:
        with self._lock:
            first = not self._had_outage
            self._had_outage = True
            self._down_until = time.monotonic() + self.retry_seconds
        # One warning per pause, not one per call: an outage must not flood the log.
        logger.warning("Cache unavailable (%s: %s); serving uncached for %.0f s%s", operation, error,
                       self.retry_seconds, " (outage began)" if first else "")

    def _recover(self) -> None:
        # Raises RedisError if Redis is still down; _call then notes the outage again.
        if self.forget_after_outage:
            super().delete_many(self.forget_after_outage)
        with self._lock:
            self._had_outage = False
        logger.warning("Cache available again; forgot %s", ", ".join(self.forget_after_outage) or "nothing")

    def check(self) -> None:
        """Raise if Redis cannot be reached now (readiness check; ignores the circuit breaker)."""
        self._cache.get_client(None, write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, lambda: super(TolerantRedisCache, self).add(key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._call("get", default, lambda: super(TolerantRedisCache, self).get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, lambda: super(TolerantRedisCache, self).set(key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, lambda: super(TolerantRedisCache, self).touch(key, timeout, version))

    def delete(self, key, version=None):
        return self._call("delete", False, lambda: super(TolerantRedisCache, self).delete(key, version))

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, lambda: super(TolerantRedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._call("has_key", False, lambda: super(TolerantRedisCache, self).has_key(key, version))

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read cannot be incremented: Django's contract for a missing key.
        result = self._call("incr", None, lambda: super(TolerantRedisCache, self).incr(key, delta, version))
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._call("set_many", failed, lambda: super(TolerantRedisCache, self).set_many(data, timeout, version))

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, lambda: super(TolerantRedisCache, self).delete_many(keys, version))

    def clear(self):
        return self._call("clear", False, lambda: super(TolerantRedisCache, self).clear())
