"""Production settings: secrets from the environment, HTTPS, compressed static files."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

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
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),  # noqa: F405
    }
}
# Live editing: every ASGI process exchanges the editors' updates through Redis.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [env_str("REDIS_URL", "redis://127.0.0.1:6379/0")], "capacity": 1000, "expiry": 30,
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
