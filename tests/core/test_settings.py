"""Configuration from the environment: production refuses to start without a secret key, and a
malformed value stops start-up with a message naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.env import env_bool, env_database, env_url

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings("portal.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_starts_with_secret_key():
    result = _import_settings("portal.settings.production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_malformed_database_url_names_the_variable():
    result = _import_settings("portal.settings.dev", DATABASE_URL="mysqlx:/nonsense")
    assert result.returncode != 0
    assert "DATABASE_URL must be a postgres:// or sqlite:// URL" in result.stderr


def test_database_url_parses_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    config = env_database("DATABASE_URL", "sqlite:///x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"


def test_database_url_without_a_name_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must name a database"):
        env_database("DATABASE_URL", "sqlite:///x.sqlite3")


def test_malformed_boolean_and_url_name_their_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)
    monkeypatch.setenv("ELASTICSEARCH_URL", "localhost:9200")
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_URL"):
        env_url("ELASTICSEARCH_URL")


def test_deploy_check_is_clean_under_production_settings():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test process, not to a production start.
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY="k" * 60 + "-Zq9")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _production_value(expression: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update(SECRET_KEY="k" * 60, **env)
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", f"import json, portal.settings.production as s; print(json.dumps({expression}))"],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_shares_state_between_application_servers():
    from portal.core.page_cache import GENERATION_KEY

    cache = _production_value("s.CACHES['default']", REDIS_URL="redis://cache.internal:6380/2")
    assert cache["BACKEND"] == "portal.core.cache_backends.TolerantRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6380/2"
    assert cache["OPTIONS"]["socket_timeout"] <= 1 and cache["OPTIONS"]["socket_connect_timeout"] <= 1
    # A publish during a Redis outage must not leave old pages to come back with Redis.
    assert cache["OPTIONS"]["FORGET_AFTER_OUTAGE"] == [GENERATION_KEY]
    assert _production_value("s.CACHES['default']['LOCATION']") == "redis://127.0.0.1:6379/0"
    assert _production_value("s.SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    assert _production_value("s.AXES_HANDLER") == "portal.security.throttling.PortalAxesHandler"


def test_production_database_fails_fast_and_reconnects():
    database = _production_value("s.DATABASES['default']", DATABASE_URL="postgres://portal@db.internal:5432/portal")
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] == 60
    assert database["OPTIONS"]["connect_timeout"] == 3
    assert _production_value("s.DATABASES['default']['CONN_MAX_AGE']", DATABASE_CONN_MAX_AGE="0") == 0


def test_malformed_redis_timeout_names_the_variable():
    result = _import_settings("portal.settings.production", SECRET_KEY="x" * 50, REDIS_TIMEOUT="soon")
    assert result.returncode != 0
    assert "REDIS_TIMEOUT must be a number" in result.stderr
