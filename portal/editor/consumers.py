"""Live co-editing of a draft's rich text over a WebSocket (``/ws/utkast/<page id>``).

The browser (``frontend/live-editor.js``: Yjs, y-prosemirror, y-websocket) speaks the Yjs sync
and awareness protocols. Each server process keeps one pycrdt document per open draft (a *room*);
every update is applied there and sent at once to the room's members in this process; the same
draft's rooms in other processes get it through the channel layer (Redis publish/subscribe in
production, a few milliseconds' worth in one message; the in-memory layer in one process). The room
writes the draft's revision through ``actions.live_save`` when typing pauses, and at least every
minute while it goes on.

Who may connect is the plain editor's own rule (``selectors.may_write`` and ``actions.live_refusal``,
which ask ``portal.access``); it is asked again every few seconds and at once when a membership
changes (``signals.py``), and a person who lost it is disconnected and gets nothing more. Messages
are limited in size and rate; anything the server cannot read closes that socket only, before it
touches the document."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
import weakref
from typing import Any

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import close_old_connections
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from pycrdt import (
    Doc,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    merge_updates,
    write_var_uint,
)

from portal.access.users import User
from portal.security import two_factor

from . import actions, selectors
from .yprotocol import Reader, awareness_gone, awareness_message, merge_awareness, rewrite_awareness, var_string

logger = logging.getLogger(__name__)

# Close codes the browser understands (frontend/live-editor.js): refused for good, or try again.
REFUSED = 4403
MALFORMED = 4400
TOO_FAST = 4529  # (45xx: the browser tries again after a pause)
TOO_BIG = 1009
QUERY_AWARENESS = 3
CLOSE_REASONS = {REFUSED: "refused", MALFORMED: "malformed message", TOO_FAST: "too many messages",
                 TOO_BIG: "message too big"}
# A message of our own beside Yjs' two: JSON both ways ("saved", "error" from the server; "flush").
PORTAL_MESSAGE = 100


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def max_message_bytes() -> int:
    return int(_setting("PORTAL_LIVE_MAX_MESSAGE_BYTES", 256 * 1024))


def page_group(page_id: int) -> str:
    return f"live-page-{page_id}"


def user_group(user_id: int) -> str:
    return f"live-user-{user_id}"


def database(func: Any) -> Any:
    """Run ``func`` in Django's one thread for database work, with the connection checks a request
    gets (a socket lives for hours; a connection that broke meanwhile is replaced)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=True)


def portal_message(payload: dict[str, Any]) -> bytes:
    return write_var_uint(PORTAL_MESSAGE) + var_string(json.dumps(payload))


def colour_of(user_id: int) -> str:
    palette = ["#005b96", "#8a2be2", "#b03a2e", "#1e7b34", "#9c5700", "#006d77", "#a4133c", "#3d405b"]
    return palette[user_id % len(palette)]


# --- rooms ------------------------------------------------------------------------------------------


class Room:
    """One draft's document in this process while someone has it open."""

    def __init__(self, page_id: int, state: bytes) -> None:
        self.page_id = page_id
        self.doc: Doc[Any] = Doc()
        if state:
            self.doc.apply_update(state)
        self.members: set[LiveEditorConsumer] = set()
        self.awareness: dict[str, bytes] = {}
        self.dirty = False
        self.first_dirty = 0.0
        self.last_edit = 0.0
        # Who typed, most recent last: the revision is written in the name of the last of them who
        # may still write the draft.
        self.editors: dict[int, float] = {}
        self.saving = asyncio.Lock()
        self.task: asyncio.Task | None = None
        self.bridge: asyncio.Task | None = None
        self.channel = ""
        # This room's name on the channel layer: it hears its own messages back and skips them.
        self.id = uuid.uuid4().hex
        # What the other processes have still to hear, sent as one message (see ``_send_out``).
        self.outbox_updates: list[bytes] = []
        self.outbox_awareness: dict[str, bytes] = {}
        self.outbox_portal: list[bytes] = []
        self.outbox_ask = b""
        self.sending: asyncio.Task | None = None
        # Cursor moves for this process's members, merged (each editor's latest) until the window ends.
        self.pending_awareness = b""
        self.pending_from: set[LiveEditorConsumer | None] = set()  # whose moves (None: another process)
        self.awareness_flush: asyncio.Task | None = None

    async def open_bridge(self) -> None:
        """One subscription per room and process: a message crosses the channel layer once per
        process, not once per member (Redis would otherwise carry every keystroke N times)."""
        layer = get_channel_layer()
        self.channel = await layer.new_channel()
        await layer.group_add(page_group(self.page_id), self.channel)
        self.bridge = asyncio.ensure_future(self._listen(layer))
        # Rooms of this draft in other processes send what was typed there before we listened
        # (the stored state we started from lags by up to a save).
        self.outbox_ask = self.doc.get_state()
        self._send_soon()

    async def _listen(self, layer: Any) -> None:
        while True:
            try:
                event = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis away for a moment must not end the room's bridge for good
                logger.exception("Receiving live messages for page %s failed; listening again", self.page_id)
                await asyncio.sleep(1)
                continue
            if event.get("room") == self.id:
                continue  # our own, already delivered here
            try:
                await self._take(event)
            except Exception:  # noqa: BLE001 - one bad relay must not end the room
                logger.exception("Relaying a live message on page %s failed", self.page_id)

    async def _take(self, event: dict[str, Any]) -> None:
        """A message from this draft's room in another process."""
        update = event.get("update")
        if update:
            self.doc.apply_update(update)
            await self.deliver("update", update, sender=None)
        awareness: dict[str, bytes] = event.get("awareness") or {}
        if awareness:
            self.awareness.update(awareness)
            await self.deliver("awareness", merge_awareness(*awareness.values()), sender=None)
        for message in event.get("portal") or ():
            await self.deliver("portal", message, sender=None)
        ask = event.get("ask")
        if ask:
            missing = self.doc.get_update(ask)
            if missing != b"\x00\x00":
                self.outbox_updates.append(missing)
                self._send_soon()

    async def deliver(self, kind: str, data: bytes, *, sender: LiveEditorConsumer | None) -> None:
        """To this process's members: text at once, not back to the sender; cursors coalesced (see
        ``_flush_awareness``)."""
        if kind == "awareness":
            self.pending_awareness = merge_awareness(self.pending_awareness, data) if self.pending_awareness else data
            self.pending_from.add(sender)
            if self.awareness_flush is None or self.awareness_flush.done():
                self.awareness_flush = asyncio.ensure_future(self._flush_awareness())
            return
        message = create_update_message(data) if kind == "update" else data
        for member in list(self.members):
            if member is not sender:
                await member.relay(kind, message)

    async def _flush_awareness(self) -> None:
        """Every member's latest cursor, gathered over a short window, goes out as one message: each
        keystroke moves a cursor, and a message per move to every member was half the server's work
        per keystroke."""
        await asyncio.sleep(_setting("PORTAL_LIVE_AWARENESS_SECONDS", 0.05))
        payload, senders = self.pending_awareness, self.pending_from
        self.pending_awareness, self.pending_from = b"", set()
        if not payload:
            return
        message = awareness_message(payload)
        members = list(self.members)
        for member in members:
            # Someone alone in the draft hears their own cursor back: y-websocket takes 30 s of silence
            # for a lost connection. With others there, their cursors (renewed every 15 s) do that.
            if senders == {member} and len(members) > 1:
                continue
            await member.relay("awareness", message)

    async def broadcast(self, kind: str, data: bytes, *, sender: LiveEditorConsumer | None) -> None:
        """To everyone with the draft open: here at once, other processes through the channel layer."""
        await self.deliver(kind, data, sender=sender)
        if kind == "update":
            self.outbox_updates.append(data)
        elif kind == "awareness":
            key = sender.channel_name if sender is not None else ""
            earlier = self.outbox_awareness.get(key)
            self.outbox_awareness[key] = merge_awareness(earlier, data) if earlier else data
        else:
            self.outbox_portal.append(data)
        self._send_soon()

    def _send_soon(self) -> None:
        if self.sending is None or self.sending.done():
            self.sending = asyncio.ensure_future(self._send_out())

    async def _send_out(self) -> None:
        """Whatever gathered while the previous message was on its way goes out as one: the Yjs
        updates merged, each member's latest cursor. A keystroke's update and cursor travel together,
        and under load a room sends fewer, larger messages instead of a queue that grows (with
        channels-redis every group message costs Redis round trips, whichever layer)."""
        layer = get_channel_layer()
        while self.outbox_updates or self.outbox_awareness or self.outbox_portal or self.outbox_ask:
            await asyncio.sleep(_setting("PORTAL_LIVE_BATCH_SECONDS", 0.005))
            updates, awareness, portal, ask = (self.outbox_updates, self.outbox_awareness, self.outbox_portal,
                                               self.outbox_ask)
            self.outbox_updates, self.outbox_awareness, self.outbox_portal, self.outbox_ask = [], {}, [], b""
            update = (updates[0] if len(updates) == 1 else merge_updates(*updates)) if updates else b""
            try:
                await layer.group_send(page_group(self.page_id), {
                    "type": "live.message", "room": self.id, "update": update, "awareness": awareness,
                    "portal": portal, "ask": ask,
                })
            except Exception:  # noqa: BLE001 - kept and sent again: another process must not miss an update
                logger.exception("Sending live changes of page %s to other processes failed; trying again",
                                 self.page_id)
                if update:
                    self.outbox_updates.insert(0, update)
                for key, payload in awareness.items():
                    newer = self.outbox_awareness.get(key)
                    self.outbox_awareness[key] = merge_awareness(payload, newer) if newer else payload
                self.outbox_portal[:0] = portal
                self.outbox_ask = self.outbox_ask or ask
                await asyncio.sleep(1)

    def edited(self, user_id: int | None) -> None:
        now = time.monotonic()
        if not self.dirty:
            self.first_dirty = now
        self.dirty, self.last_edit = True, now
        if user_id is not None:
            self.editors.pop(user_id, None)
            self.editors[user_id] = now

    def due(self) -> bool:
        now = time.monotonic()
        return self.dirty and (
            now - self.last_edit >= _setting("PORTAL_LIVE_SAVE_PAUSE_SECONDS", 2.0)
            or now - self.first_dirty >= _setting("PORTAL_LIVE_SAVE_MAX_SECONDS", 60.0)
        )

    async def recheck(self) -> None:
        """Ask again whether this process's members may still write the draft (membership changes
        are acted on at once through signals; this catches what no signal tells, e.g. a seat ending
        by date), and close the sockets of those who may not."""
        members = [member for member in self.members if not member.revoked]
        if not members:
            return
        admitted = await database(_still_admitted)(sorted({member.user.pk for member in members}), self.page_id)
        for member in members:
            if member.user.pk not in admitted:
                await member.revoke()

    async def run(self) -> None:
        """Save when typing pauses; check access now and then; leave when the last member has gone
        and everything is saved."""
        next_check = time.monotonic() + _setting("PORTAL_LIVE_RECHECK_SECONDS", 3.0)
        try:
            while True:
                await asyncio.sleep(min(0.25, _setting("PORTAL_LIVE_SAVE_PAUSE_SECONDS", 2.0)))
                if self.due() or (self.dirty and not self.members):
                    await self.save()
                if time.monotonic() >= next_check:
                    next_check = time.monotonic() + _setting("PORTAL_LIVE_RECHECK_SECONDS", 3.0)
                    try:
                        await self.recheck()
                    except Exception:  # noqa: BLE001 - the next check tries again; the room goes on
                        logger.exception("Checking live editing access to page %s failed", self.page_id)
                if not self.members and not self.dirty:
                    break
        finally:
            rooms = _rooms()
            if rooms.get(self.page_id) is self:
                del rooms[self.page_id]
            if self.awareness_flush is not None:
                self.awareness_flush.cancel()
            if self.sending is not None:
                # The last changes (and the last "saved") still go out; not forever if Redis is away.
                await asyncio.wait({self.sending}, timeout=5)
                self.sending.cancel()
            if self.bridge is not None:
                self.bridge.cancel()
                await get_channel_layer().group_discard(page_group(self.page_id), self.channel)

    async def save(self) -> None:
        async with self.saving:
            if not self.dirty or not self.editors:
                self.dirty = False
                return
            self.dirty = False
            state = self.doc.get_update()
            try:
                result = await database(_save)(self.page_id, list(reversed(self.editors)), state)
            except Exception:
                logger.exception("Saving the live document of page %s failed; trying again", self.page_id)
                self.edited(None)
                await asyncio.sleep(1)
                return
            if result.update:
                self.doc.apply_update(result.update)
                await self.broadcast("update", result.update, sender=None)
            if result.revision is not None:
                created = timezone.localtime(result.revision.created_at)
                await self.broadcast("portal", portal_message({
                    "saved": {"id": str(result.revision.pk), "created_at": result.revision.created_at.isoformat(),
                              "time": date_format(created, "TIME_FORMAT")},
                }), sender=None)
            if result.refusal:
                await self.broadcast("portal", portal_message({"error": result.refusal, "final": True}), sender=None)


_ROOMS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, Room]] = weakref.WeakKeyDictionary()
_LOADING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Future]] = (
    weakref.WeakKeyDictionary()
)


def _rooms() -> dict[int, Room]:
    return _ROOMS.setdefault(asyncio.get_running_loop(), {})


async def room_for(page_id: int) -> Room:
    rooms = _rooms()
    if page_id in rooms:
        return rooms[page_id]
    loading = _LOADING.setdefault(asyncio.get_running_loop(), {})
    if page_id not in loading:
        async def load() -> Room:
            try:
                state = await database(_open)(page_id)
                room = Room(page_id, state)
                await room.open_bridge()
                rooms[page_id] = room
                room.task = asyncio.ensure_future(room.run())
                return room
            finally:
                loading.pop(page_id, None)

        loading[page_id] = asyncio.ensure_future(load())
    return await asyncio.shield(loading[page_id])


# --- database work (in Django's thread) -------------------------------------------------------------


def _open(page_id: int) -> bytes:
    page = selectors.editable_page(page_id)
    return actions.live_open(page=page) if page is not None else b""


def _save(page_id: int, user_ids: list[int], state: bytes) -> actions.LiveSaved:
    page = selectors.editable_page(page_id)
    if page is None:
        return actions.LiveSaved(refusal=_("This draft cannot be changed now."))
    users = get_user_model().objects.in_bulk(user_ids)
    # Someone who has just lost access does not stop the others' text from being saved.
    writers = [users[pk] for pk in user_ids if pk in users and selectors.may_write(users[pk], page)]
    if not writers:
        return actions.LiveSaved()
    return actions.live_save(page=page, user=writers[0], state=state)


def _admitted(user: User | None, page_id: int, device_id: str | None) -> str | None:
    """The person's display name if they may write this draft live now, else None."""
    if user is None or not user.is_authenticated:
        return None
    account = get_user_model().objects.filter(pk=user.pk).first()
    page = selectors.editable_page(page_id)
    if account is None or page is None:
        return None
    # As django-otp's middleware does for a request: a session that owes its second factor is not in.
    device = Device.from_persistent_id(device_id) if device_id else None
    # django-otp's own attribute on the user, which the stubs do not know.
    account.otp_device = device if device is not None and device.user_id == account.pk else None  # type: ignore[attr-defined]
    if two_factor.needs_code(account):
        return None
    if not selectors.may_write(account, page) or actions.live_refusal(page=page, user=account):
        return None
    return selectors.display_name(account)


def _still_admitted(user_ids: list[int], page_id: int) -> set[int]:
    """Which of these people may still write the draft: one call for a room's members, so that the
    periodic check costs one trip to Django's single database thread per open draft, not per socket
    (at 150 sockets the per-socket checks kept that thread busy and queued the saves behind them)."""
    page = selectors.editable_page(page_id)
    if page is None:
        return set()
    users = get_user_model().objects.in_bulk(user_ids)
    return {pk for pk, user in users.items() if selectors.may_write(user, page)}


# --- the socket -------------------------------------------------------------------------------------


class LiveEditorConsumer(AsyncWebsocketConsumer):
    room: Room | None = None
    closed_by_server: int | None = None

    async def connect(self) -> None:
        self.page_id = int(self.scope["url_route"]["kwargs"]["page_id"])
        self.user = self.scope.get("user")
        self.revoked = False
        self.clocks: dict[int, int] = {}
        self.tokens = _setting("PORTAL_LIVE_BURST", 200)
        self.refilled = time.monotonic()
        session = self.scope.get("session")
        device_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
        name = await database(_admitted)(self.user, self.page_id, device_id)
        if name is None:
            # Refused before the handshake completes: an outsider learns nothing, not even the text.
            self.closed_by_server = REFUSED
            logger.info("Live editor socket on page %s refused: code %s", self.page_id, REFUSED)
            await self.close(code=REFUSED)
            return
        self.name = name
        self.room = await room_for(self.page_id)
        self.room.members.add(self)
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        await self.accept()
        # Our state first (the browser answers with what it has that we lack: offline edits), then
        # who else is here.
        await self.send(bytes_data=create_sync_message(self.room.doc))
        for channel, payload in list(self.room.awareness.items()):
            if channel != self.channel_name:
                await self.send(bytes_data=awareness_message(payload))

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' own dispatch first checks Django's connections in the one database thread, for
        # every message: each keystroke and cursor move queued there behind the access checks and the
        # saves, and under load the editors' messages piled up until the server stopped reading their
        # sockets. This consumer reaches the database only through ``database()``, which checks them.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        # Every close is logged with its code, so that editors dropped under load (uvicorn's keepalive
        # timeout shows as 1005 here) can be told from editors who left (1000, 1001).
        if self.closed_by_server is None:
            logger.info("Live editor socket on page %s closed by the client or the network: code %s, reason %r",
                        getattr(self, "page_id", "?"), message.get("code"), message.get("reason") or "")
        await super().websocket_disconnect(message)

    async def disconnect(self, code: int) -> None:
        await self._part()

    async def _close(self, code: int) -> None:
        """Out of the room and the groups at once (nothing more reaches this socket), then closed."""
        self.closed_by_server = code
        logger.info("Live editor socket on page %s closed by the server: code %s (%s)", self.page_id, code,
                    CLOSE_REASONS.get(code, "unknown"))
        await self._part()
        await self.close(code=code)

    async def _part(self) -> None:
        room = self.room
        if room is None:
            return
        self.room = None
        room.members.discard(self)
        room.awareness.pop(self.channel_name, None)
        await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        if self.clocks:
            await room.broadcast("awareness", awareness_gone(self.clocks), sender=self)

    # --- from the browser

    def _within_rate(self) -> bool:
        now = time.monotonic()
        rate, burst = _setting("PORTAL_LIVE_MESSAGES_PER_SECOND", 50), _setting("PORTAL_LIVE_BURST", 200)
        self.tokens = min(burst, self.tokens + (now - self.refilled) * rate)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.room is None or self.revoked:
            return
        if bytes_data is None:
            await self._close(MALFORMED)
            return
        if len(bytes_data) > max_message_bytes():
            await self._close(TOO_BIG)
            return
        if not self._within_rate():
            await self._close(TOO_FAST)
            return
        try:
            await self._handle(bytes_data)
        except Exception:  # noqa: BLE001 - whatever it was, it was not a message we can use
            await self._close(MALFORMED)

    async def _handle(self, data: bytes) -> None:
        room = self.room
        assert room is not None  # noqa: S101 - receive() checked it
        reader = Reader(data)
        kind = reader.uint()
        if kind == YMessageType.SYNC:
            step = reader.uint()
            payload = reader.bytes()
            if not reader.done():
                raise ValueError("trailing bytes")
            if step == YSyncMessageType.SYNC_STEP1:
                missing = room.doc.get_update(payload)
                await self.send(bytes_data=bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP2])
                                + write_var_uint(len(missing)) + missing)
            elif step in (YSyncMessageType.SYNC_STEP2, YSyncMessageType.SYNC_UPDATE):
                if payload == b"\x00\x00":
                    return
                before = room.doc.get_state()
                room.doc.apply_update(payload)  # raises on anything malformed, before changing the document
                if room.doc.get_state() != before:
                    room.edited(self.user.pk)
                await room.broadcast("update", payload, sender=self)
            else:
                raise ValueError("unknown sync step")
        elif kind == YMessageType.AWARENESS:
            payload, clocks = rewrite_awareness(reader.bytes(), name=self.name, colour=colour_of(self.user.pk))
            self.clocks.update(clocks)
            room.awareness[self.channel_name] = payload
            await room.broadcast("awareness", payload, sender=self)
        elif kind == QUERY_AWARENESS:
            for payload in list(room.awareness.values()):
                await self.send(bytes_data=awareness_message(payload))
        elif kind == PORTAL_MESSAGE:
            request = json.loads(reader.bytes().decode())
            if isinstance(request, dict) and request.get("flush"):
                # Before "send for approval": the revision must hold what was typed up to now.
                room.edited(None)
                await room.save()
                await self.send(bytes_data=portal_message({"flushed": True}))
        else:
            raise ValueError("unknown message type")

    # --- from the room (the other members) and the channel layer

    async def relay(self, kind: str, message: bytes) -> None:
        if self.revoked or self.room is None:
            return
        try:
            await self.send(bytes_data=message)
        except (RuntimeError, OSError):  # the browser has just gone; its disconnect is next in line
            return
        if kind == "portal" and json.loads(Reader(message[1:]).bytes()).get("final"):
            await self._close(REFUSED)

    async def live_recheck(self, event: dict[str, Any]) -> None:
        await self._recheck()

    async def _recheck(self) -> None:
        if self.revoked or self.room is None:
            return
        if self.user.pk not in await database(_still_admitted)([self.user.pk], self.page_id):
            await self.revoke()

    async def revoke(self) -> None:
        """Access is gone: nothing more reaches this socket, and it is closed."""
        if not self.revoked:
            self.revoked = True
            await self._close(REFUSED)
