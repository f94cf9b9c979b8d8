"""A live editor as the browser's y-websocket provider is one, in Python (pycrdt): it speaks the Yjs
sync protocol over Channels' WebsocketCommunicator, and types into the first paragraph of the text."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client
from pycrdt import Doc, XmlElement, XmlFragment, XmlText, create_sync_message, create_update_message

from portal.asgi import application
from portal.editor import consumers, livetext
from portal.editor.yprotocol import Reader
from tests.helpers import PortalClient


def session_cookie(username: str) -> str:
    client: Client = PortalClient()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies["sessionid"].value


class LiveEditor:
    def __init__(self, page_id: int, cookie: str | None, *, field: str = "general_remarks", doc: Doc | None = None,
                 origin: str = "http://testserver") -> None:
        headers = [(b"origin", origin.encode())]
        if cookie:
            headers.append((b"cookie", f"sessionid={cookie}".encode()))
        self.page_id, self.cookie, self.field, self.origin = page_id, cookie, field, origin
        self.communicator = WebsocketCommunicator(application, f"/ws/utkast/{page_id}", headers=headers)
        self.doc = doc or Doc()
        self.portal: list[dict[str, Any]] = []
        self.awareness: list[bytes] = []
        self.close_code: int | None = None
        self.received = 0

    @property
    def fragment(self) -> XmlFragment:
        return livetext.fragment(self.doc, self.field)

    def text(self) -> str:
        return livetext.plain_text(self.doc, self.field)

    async def connect(self) -> bool:
        # (Channels' 1 s is short for a first connection on a busy machine: the database, Redis.)
        connected, _code = await self.communicator.connect(timeout=5)
        if connected:
            await self.communicator.send_to(bytes_data=create_sync_message(self.doc))
            await self.pump()
        return connected

    async def send(self, data: bytes) -> None:
        await self.communicator.send_to(bytes_data=data)

    async def pump(self, timeout: float = 0.3) -> None:
        """Handle everything the server sends until it has been quiet for ``timeout`` seconds."""
        while self.close_code is None:
            # (receive_output's own timeout would stop the application: wait for quiet instead.)
            if await self.communicator.receive_nothing(timeout=timeout, interval=0.01):
                return
            message = await self.communicator.receive_output()
            if message["type"] == "websocket.close":
                self.close_code = message.get("code", 1000)
                return
            self.received += 1
            data = message["bytes"]
            reader = Reader(data)
            kind = reader.uint()
            if kind == 0:
                step = reader.uint()
                payload = reader.bytes()
                if step == 0:
                    missing = self.doc.get_update(payload)
                    await self.send(bytes([0, 1]) + consumers.write_var_uint(len(missing)) + missing)
                elif payload != b"\x00\x00":
                    self.doc.apply_update(payload)
            elif kind == 1:
                self.awareness.append(reader.bytes())
            elif kind == consumers.PORTAL_MESSAGE:
                self.portal.append(json.loads(reader.bytes()))

    async def edit(self, change) -> None:
        """Make a change to the local document and send it as one update (as y-websocket does)."""
        before = self.doc.get_state()
        change(self.fragment)
        await self.send(create_update_message(self.doc.get_update(before)))

    async def type(self, text: str, *, at: int | None = None) -> None:
        """Type into the first paragraph (at its end unless ``at`` says where), one update per character."""
        for offset, character in enumerate(text):
            def insert(fragment: XmlFragment, offset: int = offset, character: str = character) -> None:
                if not len(fragment.children):
                    fragment.children.append(XmlElement("paragraph"))
                paragraph = fragment.children[0]
                runs = [child for child in paragraph.children if isinstance(child, XmlText)]
                run = runs[0] if runs else paragraph.children.append(XmlText())
                run.insert(len(run) if at is None else at + offset, character)

            await self.edit(insert)

    async def awareness_update(self, client_id: int, clock: int, state: dict[str, Any]) -> None:
        body = json.dumps(state).encode()
        payload = (consumers.write_var_uint(1) + consumers.write_var_uint(client_id) + consumers.write_var_uint(clock)
                   + consumers.write_var_uint(len(body)) + body)
        await self.send(consumers.awareness_message(payload))

    async def close(self) -> None:
        await self.communicator.disconnect(timeout=5)

    async def wait_closed(self, seconds: float) -> float:
        """Seconds until the server closed this socket (fails after ``seconds``)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        while self.close_code is None and loop.time() - started < seconds:
            await self.pump(timeout=0.1)
        assert self.close_code is not None, f"still connected after {seconds} s"
        return loop.time() - started


async def settle() -> None:
    """Wait until every room of this event loop has saved and gone (its members have left)."""
    rooms = consumers._rooms()
    tasks = [room.task for room in rooms.values() if room.task is not None]
    if tasks:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)
