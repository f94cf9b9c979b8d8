"""A live server for the browser tests that shares the test's database transaction.

pytest-django's ``live_server`` fixture forces ``transactional_db``, which empties every table after
each test: the demo content loaded once per session would be gone for every later test. Instead, this
server runs in a thread of the test process and uses the test thread's own database connection (as
Django does for in-memory SQLite, here on PostgreSQL too). It handles one request at a time, so the
connection is never used by two threads at once, and whatever a journey writes (sessions, posts) is
rolled back with the test's transaction on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from wsgiref.simple_server import WSGIRequestHandler

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


class _KeepTransaction:
    """WSGI wrapper: Django closes a connection that is not in autocommit mode at the start and end
    of every request, which would abort the test's transaction. Switch that off while a request is
    handled (the test thread is blocked in the browser meanwhile), response closing included."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.app(environ, start_response)
            try:
                return list(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


class SharedConnectionServer(threading.Thread):
    """Serves the project on 127.0.0.1 (a free port) from a thread using the test thread's connection."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.is_ready = threading.Event()
        self.error: BaseException | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def run(self) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            app = _KeepTransaction(StaticFilesHandler(WSGIHandler()))
            # Not threaded on purpose: one request at a time on the one shared connection.
            self.httpd = WSGIServer((self.host, 0), _QuietHandler, allow_reuse_address=False)
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(app)
            self.is_ready.set()
            self.httpd.serve_forever(poll_interval=0.05)
        except BaseException as error:  # noqa: BLE001 - reported to the starting thread
            self.error = error
            self.is_ready.set()

    def start_serving(self) -> None:
        self.connection.inc_thread_sharing()
        self.start()
        self.is_ready.wait()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        if hasattr(self, "httpd"):
            self.httpd.shutdown()
            self.httpd.server_close()
        self.join(timeout=10)
        self.connection.dec_thread_sharing()
