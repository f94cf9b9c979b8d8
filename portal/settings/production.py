"""Production settings: secrets from the environment, HTTPS, compressed static files."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_float, env_int, env_str

DEBUG = False

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in production: a long random string, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

STORAGES = {
    **STORAGES,  # noqa: F405 - the private storage of base
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# --- Shared state: every application server must see the same state -------------------------------
# Several application servers (and task workers) behind one address share nothing in memory, so
# everything that must be the same for all of them lives in Redis, the database or shared files.

# The cache is Redis (REDIS_URL), shared by every server: the anonymous page cache's generation key
# lives there, so a publish on one server empties the page cache of all of them at once (a per-process
# or per-machine cache would keep serving the old page elsewhere for up to PORTAL_PAGE_CACHE_SECONDS).
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        # Django's RedisCache, made tolerant: with Redis down, errors are logged and read as misses, so
        # pages are served uncached instead of answering 500 (portal/core/cache_backends.py).
        "BACKEND": "portal.core.cache_backends.TolerantRedisCache",
        "LOCATION": REDIS_URL,
        # Several portals (or a staging copy) may share one Redis; the prefix keeps their keys apart.
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
        "OPTIONS": {
            # A Redis that does not answer costs a request at most this long (seconds), not a worker.
            "socket_connect_timeout": env_float("REDIS_TIMEOUT", 0.5),
            "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
            # After an error, this process leaves Redis alone this long before trying again.
            "RETRY_SECONDS": env_int("REDIS_RETRY_SECONDS", 5),
            # When Redis comes back, forget the page cache generation (portal/core/page_cache.py
            # GENERATION_KEY): a publish during the outage could not start a new one.
            "FORGET_AFTER_OUTAGE": ["portal-page-cache:generation"],
        },
    }
}
# Sessions in the database (Django's default, made explicit): any server can read a session another
# one wrote, and a sign-out deletes the row for good. Not cached_db: a sign-out while Redis is down
# could not delete the cached copy, which would sign the reader in again when Redis returns.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Login throttling counters (django-axes) are already in the database (PortalAxesHandler is axes'
# database handler, see base.py): a guesser spreading attempts over servers meets one shared count,
# and a Redis outage cannot reset or lift a lock-out.

# Both file roots must be one shared file system for all servers (NFS, a cluster file system, or a
# mounted object store), given as paths in MEDIA_ROOT and PORTAL_PRIVATE_ROOT (base.py reads them): a
# document uploaded through one server is downloaded through another, and an export built by a task
# worker is handed out by whichever server the owner reaches. README (Production) shows S3 through
# django-storages instead.

# The database: persistent connections (one per worker, reused between requests) checked before
# reuse, so a database restart costs each worker one failed check and a reconnect instead of a
# restart of the application; a connection attempt gives up after DATABASE_CONNECT_TIMEOUT seconds,
# so while the database is down requests fail fast (503, portal/core/views.server_error) instead of
# hanging until the proxy's timeout. The ASGI server runs with DATABASE_CONN_MAX_AGE=0 (Django's
# advice for async: connections are not reused across its threads).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if DATABASE_IS_POSTGRES:  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(  # noqa: F405
        "DATABASE_CONNECT_TIMEOUT", 3)

# Live editing: every ASGI process exchanges the editors' updates through Redis, by publish/subscribe.
# Not channels_redis.core.RedisChannelLayer: its one receive loop per process pops a message per
# several round trips (50 drafts with 3 editors each outran it), and with redis-py 8 (default
# socket timeout 5 s, the same as its blocking pop's) every consumer's receive raised TimeoutError
# after 5 quiet seconds, ending all the sockets of an idle process (bench/README.md, co-editing).
# Pub/sub delivers only to processes listening at the time, which is all live editing needs (a room
# that opens asks the others for what it lacks; portal/editor/consumers.py).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [env_str("REDIS_URL", "redis://127.0.0.1:6379/0")],
                   "prefix": env_str("CHANNEL_LAYER_PREFIX", "portal")},
    }
}
# Anonymous readers' public pages are kept this long (bench/README.md: ~100× the page throughput);
# edits start a new cache generation at once. 0 switches it off.
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 60)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The HTTPS proxy in front of gunicorn appends the client's address to X-Forwarded-For; login
# throttling counts failures per client address from it (portal/security/throttling.py).
PORTAL_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
