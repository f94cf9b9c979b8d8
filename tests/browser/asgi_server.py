"""An ASGI live server (uvicorn in a thread) for the browser journey that needs WebSockets (live
co-editing), sharing the test's database transaction like ``server.SharedConnectionServer`` does.

Django's ASGI handler runs each request's sync code in a thread of its own, so instead of handing
the connection to one thread, every thread gets the test's one connection while the server runs.
Requests, and the live editor's database work, are handled one at a time (an asyncio lock in the
server's loop), so the connection is never used by two threads at once; the test thread reads only
while the browsers wait. Used on SQLite, where CI runs the browser journeys.
"""

from __future__ import annotations

import asyncio
import socket
import types
from typing import Any

import channels.db
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections

from portal import asgi
from portal.editor import consumers
from tests.browser.server import SharedConnectionServer


def _no_connection_check() -> None:
    """The test's transaction must survive; Django's test client skips this check as well."""


class SharedConnectionAsgiServer(SharedConnectionServer):
    def __init__(self) -> None:
        super().__init__()
        self.server: uvicorn.Server | None = None
        self._saved: dict[str, Any] = {}

    def _application(self) -> Any:
        lock: asyncio.Lock | None = None
        http = ASGIStaticFilesHandler(get_asgi_application())
        original_database = consumers.database

        def gate() -> asyncio.Lock:
            nonlocal lock
            if lock is None:
                lock = asyncio.Lock()
            return lock

        async def one_request_at_a_time(scope: Any, receive: Any, send: Any) -> None:
            async with gate():
                await http(scope, receive, send)

        def gated_database(func: Any) -> Any:
            inner = original_database(func)

            async def run(*args: Any, **kwargs: Any) -> Any:
                async with gate():
                    return await inner(*args, **kwargs)

            return run

        self._saved["database"] = original_database
        consumers.database = gated_database
        return ProtocolTypeRouter({
            "http": one_request_at_a_time, "websocket": asgi.application.application_mapping["websocket"],
        })

    def run(self) -> None:
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, 0))
            self.port = sock.getsockname()[1]
            config = uvicorn.Config(self._application(), lifespan="off", log_level="warning", loop="asyncio",
                                    ws="websockets", ws_max_size=1024 * 1024)
            self.server = uvicorn.Server(config)
            self.is_ready.set()
            self.server.run(sockets=[sock])
        except BaseException as error:  # noqa: BLE001 - reported to the starting thread
            self.error = error
            self.is_ready.set()

    def start_serving(self) -> None:
        self.connection.inc_thread_sharing()
        self._saved["connections"] = connections._connections
        connections._connections = types.SimpleNamespace(**{DEFAULT_DB_ALIAS: self.connection})
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self._saved["close"] = (consumers.close_old_connections, channels.db.close_old_connections)
        consumers.close_old_connections = channels.db.close_old_connections = _no_connection_check
        self.start()
        self.is_ready.wait()
        if self.error is not None:
            raise self.error
        while self.server is not None and not self.server.started and self.is_alive():
            self.join(0.05)

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.join(timeout=10)
        consumers.database = self._saved.get("database", consumers.database)
        consumers.close_old_connections, channels.db.close_old_connections = self._saved["close"]
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connections._connections = self._saved["connections"]
        self.connection.dec_thread_sharing()
