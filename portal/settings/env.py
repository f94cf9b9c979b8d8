"""Reading configuration from environment variables, failing loudly on malformed values.

A wrong value must stop start-up with a message that names the variable, not surface later as an
obscure error deep inside a request.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_SUPPORTED_DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "psql"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number (e.g. 0.5), not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict[str, Any]:
    """Parse a database URL such as ``postgres://user@host:5432/db`` or ``sqlite:////path/db.sqlite3``."""
    value = env_str(name, default) or default
    scheme = urlparse(value).scheme
    if scheme not in _SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// or sqlite:// URL, not {value!r} "
            f"(e.g. postgres://postgres@127.0.0.1:5432/portal)."
        )
    try:
        config = dj_database_url.parse(value, conn_max_age=0)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({error}): {value!r}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://postgres@127.0.0.1:5432/portal")
    return config


def env_url(name: str) -> str | None:
    """An optional http(s) URL, e.g. the Elasticsearch endpoint."""
    value = env_str(name)
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ImproperlyConfigured(f"{name} must be an http:// or https:// URL, not {value!r}.")
    return value
