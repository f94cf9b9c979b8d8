"""Live co-editing benchmark (not a test): uvicorn with production settings (Redis channel layer) on
a scratch PostgreSQL database, driven by Python editors that speak the Yjs sync and awareness
protocols with pycrdt over real WebSockets, as the browser's y-websocket does.

Scenarios: 10 editors typing into the same paragraph of one response, and 50 responses with 3
editors each. Every keystroke is one Yjs update (plus a cursor update, as y-prosemirror sends);
each editor types a letter of its own at a random place in the paragraph. Measured: the time from
a keystroke to its arrival at each other editor (p50/p95), messages per second through the server,
the server's memory (RSS), and lost characters: the final text of every editor and of the saved
revision is compared with what every editor typed (each letter counted).

    .venv/bin/python bench/coediting/run.py --scenario one     # 1 response x 10 editors, 5 keys/s each, 20 s
    .venv/bin/python bench/coediting/run.py --scenario many    # 50 responses x 3 editors, 2 keys/s each, 20 s
    .venv/bin/python bench/coediting/run.py --scenario many --responses 10 --seconds 10   # a small try

``--workers 2`` runs two uvicorn processes (each connection goes to either, so editors of one
response meet across Redis).
The last lines are the rows of the table in bench/README.md.

Needs PostgreSQL and Redis on 127.0.0.1. The database ``portal_coedit_bench`` is migrated and gets
the demo once; later runs reuse it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import websockets
from pycrdt import Doc, XmlFragment, XmlText, create_sync_message, create_update_message, write_var_uint

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from portal.editor.yprotocol import Reader, awareness_message  # noqa: E402 - Django-free, as the browser's code is

BIN = Path(sys.executable).parent
DATABASE = "postgres://postgres@127.0.0.1:5432/portal_coedit_bench"
PORT = 8150
FIELD = "general_remarks"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SILENCE_SECONDS = 30  # y-websocket's messageReconnectTimeout

SETUP = r"""
import json, sys
from django.contrib.auth import get_user_model
from django.test import Client
from portal.hearings.models import HearingPage, HearingResponsePage
from portal.organisations.actions import membership_add
from portal.organisations.models import OrganisationMembership, OrganisationPage
from portal.organisations.selectors import space_for
from wagtail.models import Page

responses, editors = int(sys.argv[1]), int(sys.argv[2])
tag = sys.argv[3]
organisation = OrganisationPage.objects.get(slug="fellesforbundet-for-brukerorganisasjoner", locale__language_code="nb")
space = space_for(organisation=organisation)
hearing = HearingPage.objects.live().filter(locale__language_code="nb").first()
User = get_user_model()
people = []
for index in range(editors):
    user, _ = User.objects.get_or_create(username=f"bench-editor-{index}",
                                         defaults={"first_name": "Benk", "last_name": f"Skribent {index}"})
    if not OrganisationMembership.objects.filter(user=user, organisation=organisation).exists():
        membership_add(organisation=organisation, user=user)
    client = Client()
    client.force_login(user)
    people.append(client.cookies["sessionid"].value)
pages = []
for index in range(responses):
    page = HearingResponsePage(title=f"Benk {tag} {index}", slug=f"benk-{tag}-{index}", hearing=hearing,
                               general_remarks="<p>Start</p>")
    space.add_child(instance=page)
    page.save_revision().publish(skip_permission_checks=True)
    pages.append(page.pk)
print(json.dumps({"pages": pages, "sessions": people}))
"""

RESULT = r"""
import json, sys, re
from html import unescape
from portal.hearings.models import HearingResponsePage
out = {}
for pk in json.loads(sys.argv[1]):
    page = HearingResponsePage.objects.get(pk=pk)
    text = page.get_latest_revision_as_object().general_remarks
    out[pk] = unescape(re.sub(r"<[^>]+>", "", text))
print(json.dumps(out))
"""


def manage(code: str, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [str(BIN / "python"), "-c", "import django, sys; django.setup(); sys.argv = sys.argv[1:]; exec(sys.argv[0])",
         code, *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]


def state_vector(doc: Doc) -> dict[int, int]:
    reader = Reader(doc.get_state())
    return {reader.uint(): reader.uint() for _ in range(reader.uint())}


class Stats:
    def __init__(self) -> None:
        self.final: dict[int, dict[int, int]] = {}  # page → Yjs client id → its last clock
        self.sent_at: dict[tuple[int, int], float] = {}  # (Yjs client id, clock after the keystroke)
        self.latencies: list[float] = []
        self.messages_in = 0  # to the server
        self.messages_out = 0  # from the server
        self.not_converged = 0  # editors still missing someone's keystrokes a minute after typing stopped
        self.closes: Counter[str] = Counter()  # sockets that closed before their editor was done, by who and code
        self.reconnections = 0


def describe_close(socket: websockets.ClientConnection) -> str:
    """Who closed the socket and with which code, as the client saw it: the server's close frame, our own
    (1011 "keepalive ping timeout": the server did not answer a ping in time), or none at all (1006)."""
    protocol = socket.protocol
    if protocol.close_rcvd is not None and (protocol.close_sent is None or protocol.close_rcvd_then_sent):
        return f"server {protocol.close_rcvd.code}"
    if protocol.close_sent is not None:
        reason = f" {protocol.close_sent.reason}" if protocol.close_sent.reason else ""
        return f"client {protocol.close_sent.code}{reason}"
    return "no close frame (1006)"


class Editor:
    """One browser's y-websocket provider: on a close it reconnects with y-websocket's backoff (100 ms
    doubling to 2.5 s), syncs both ways again (its step 1 to the server, its answer to the server's step 1
    carrying what it typed meanwhile) and sends its cursor again. Typing goes on while it is away."""

    def __init__(self, page: int, cookie: str, letter: str, stats: Stats, origin: str, *,
                 reconnect: bool = True) -> None:
        self.page, self.cookie, self.letter, self.stats, self.origin = page, cookie, letter, stats, origin
        self.reconnect = reconnect
        self.doc = Doc()
        self.typed = 0
        self.seen: dict[int, int] = {}
        self.synced = asyncio.Event()
        self.converged = asyncio.Event()
        self.awareness_clock = 0
        self.cursor: bytes | None = None  # the latest cursor (awareness state), sent again after a reconnection
        self.cursor_sent = 0.0
        self.last_message = 0.0
        self.socket: websockets.ClientConnection | None = None
        self.finished = False

    def text(self) -> str:
        paragraph = self.doc.get(FIELD, type=XmlFragment).children[0]
        return "".join(str(insert) for child in paragraph.children if isinstance(child, XmlText)
                       for insert, _ in child.diff())

    def check_converged(self) -> None:
        final = self.stats.final.get(self.page, {})
        vector = state_vector(self.doc)
        if final and all(vector.get(client, 0) >= clock for client, clock in final.items()):
            self.converged.set()

    async def connection(self) -> None:
        url = f"ws://127.0.0.1:{PORT}/ws/utkast/{self.page}"
        headers = {"Cookie": f"sessionid={self.cookie}"}
        failures = opened = 0
        while not self.finished:
            try:
                # No pings from this side: a browser sends none (y-websocket watches for silence instead).
                socket = await websockets.connect(url, additional_headers=headers, origin=self.origin, max_size=None,
                                                  open_timeout=30, ping_interval=None)
            except (OSError, TimeoutError, websockets.InvalidHandshake):
                self.stats.closes["connecting failed"] += 1
            else:
                opened += 1
                if opened > 1:
                    self.stats.reconnections += 1
                failures = 0
                try:
                    await self.session(socket)
                except websockets.ConnectionClosed:
                    pass
                finally:
                    self.socket = None
                    await socket.close()
                if not self.finished:
                    closed = describe_close(socket)
                    self.stats.closes[closed] += 1
                    if closed == "server 4403":  # refused for good
                        return
            if self.finished or not self.reconnect:
                return
            await asyncio.sleep(min(0.1 * 2 ** failures, 2.5))
            failures += 1

    async def session(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket
        self.last_message = time.monotonic()
        watchdog = asyncio.ensure_future(self.watch_silence(socket))
        try:
            await self.sync_and_read(socket)
        finally:
            watchdog.cancel()

    async def watch_silence(self, socket: websockets.ClientConnection) -> None:
        """y-websocket's messageReconnectTimeout: nothing heard for 30 s, the connection is taken for lost.
        And y-protocols' awareness renewal: the cursor is sent again after 15 s without a move."""
        while True:
            await asyncio.sleep(1)
            now = time.monotonic()
            if now - self.last_message > SILENCE_SECONDS:
                await socket.close(reason="nothing heard for 30 s")
                return
            if self.cursor is not None and now - self.cursor_sent >= SILENCE_SECONDS / 2:
                self.awareness_clock += 1
                self.cursor_sent = now
                with contextlib.suppress(websockets.ConnectionClosed):  # the reading side notices the close
                    await socket.send(awareness_message(self.awareness(self.cursor)))
                    self.stats.messages_in += 1

    async def sync_and_read(self, socket: websockets.ClientConnection) -> None:
        # Sync step 1 both ways: the server's comes first on its own; ours asks for what we lack.
        await socket.send(create_sync_message(self.doc))
        self.stats.messages_in += 1
        if self.cursor is not None:
            # A new clock: the server told the others our cursor had gone (with the clock after ours).
            self.awareness_clock += 1
            await socket.send(awareness_message(self.awareness(self.cursor)))
            self.cursor_sent = time.monotonic()
            self.stats.messages_in += 1
        async for message in socket:
            await self.handle(socket, message)

    async def run(self, seconds: float, rate: float, everyone_done: asyncio.Event) -> None:
        connection = asyncio.ensure_future(self.connection())
        await asyncio.wait_for(self.synced.wait(), 30)
        self.seen = state_vector(self.doc)
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            await asyncio.sleep(random.expovariate(rate))
            await self.keystroke()
        self.stats.final.setdefault(self.page, {})[self.doc.client_id] = state_vector(self.doc)[self.doc.client_id]
        await everyone_done.wait()
        self.check_converged()
        # Everyone's last keystroke must arrive (nothing may be lost, however late).
        try:
            await asyncio.wait_for(self.converged.wait(), 60)
        except TimeoutError:
            self.stats.not_converged += 1
        self.finished = True
        if self.socket is not None:
            await self.socket.close()
        connection.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await connection

    async def keystroke(self) -> None:
        paragraph = self.doc.get(FIELD, type=XmlFragment).children[0]
        run = next(child for child in paragraph.children if isinstance(child, XmlText))
        before = self.doc.get_state()
        run.insert(random.randint(0, len(run)), self.letter)
        update = self.doc.get_update(before)
        self.typed += 1
        clock = state_vector(self.doc)[self.doc.client_id]
        self.stats.sent_at[(self.doc.client_id, clock)] = time.monotonic()
        # The cursor moves too (y-prosemirror sends it with every keystroke).
        self.awareness_clock += 1
        self.cursor = json.dumps({"cursor": {"anchor": clock, "head": clock}}).encode()
        socket = self.socket
        if socket is None:
            return  # away: the keystroke is in the document and goes with the next sync
        try:
            await socket.send(create_update_message(update))
            await socket.send(awareness_message(self.awareness(self.cursor)))
            self.cursor_sent = time.monotonic()
            self.stats.messages_in += 2
        except websockets.ConnectionClosed:
            pass  # likewise

    def awareness(self, state: bytes) -> bytes:
        return (write_var_uint(1) + write_var_uint(self.doc.client_id) + write_var_uint(self.awareness_clock)
                + write_var_uint(len(state)) + state)

    async def handle(self, socket: websockets.ClientConnection, message: bytes) -> None:
        self.stats.messages_out += 1
        self.last_message = time.monotonic()
        reader = Reader(message)
        kind = reader.uint()
        if kind != 0:
            return
        step = reader.uint()
        payload = reader.bytes()
        if step == 0:
            # The server's step 1: answered with what it lacks (after a reconnection, what we typed meanwhile).
            missing = self.doc.get_update(payload)
            await socket.send(bytes([0, 1]) + write_var_uint(len(missing)) + missing)
            self.stats.messages_in += 1
            return
        self.doc.apply_update(payload)
        if step == 1 and not self.synced.is_set():
            self.synced.set()
            return
        now = time.monotonic()
        for client, clock in state_vector(self.doc).items():
            if client == self.doc.client_id:
                continue
            for tick in range(self.seen.get(client, 0) + 1, clock + 1):
                sent = self.stats.sent_at.get((client, tick))
                if sent is not None:
                    self.stats.latencies.append(now - sent)
            self.seen[client] = clock
        self.check_converged()


def process_tree(pid: int) -> list[int]:
    """The server and its worker processes (uvicorn --workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            pids += process_tree(int(child))
    return pids


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for each in process_tree(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_kib(pid: int) -> int:
    total = 0
    for each in process_tree(pid):
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


async def scenario(name: str, pages: list[int], sessions: list[str], editors_per_page: int, seconds: float,
                   rate: float, server_pid: int, env: dict[str, str], *, reconnect: bool, server_log: Path) -> dict:
    stats = Stats()
    origin = f"http://127.0.0.1:{PORT}"
    editors = [Editor(page, sessions[index], LETTERS[index], stats, origin, reconnect=reconnect)
               for page in pages for index in range(editors_per_page)]
    log_from = server_log.stat().st_size
    rss_before = rss_kib(server_pid)
    peak = rss_before
    started = time.monotonic()
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()

    async def watch_memory() -> None:
        nonlocal peak
        while True:
            peak = max(peak, rss_kib(server_pid))
            await asyncio.sleep(0.5)

    watcher = asyncio.ensure_future(watch_memory())
    everyone_done = asyncio.Event()
    typing = [asyncio.ensure_future(editor.run(seconds, rate, everyone_done)) for editor in editors]
    await asyncio.sleep(seconds)
    while sum(len(final) for final in stats.final.values()) < len(editors):
        await asyncio.sleep(0.1)
    typed_for = time.monotonic() - started
    everyone_done.set()
    await asyncio.gather(*typing)
    converged_after = time.monotonic() - started - typed_for
    server_cpu = cpu_seconds(server_pid) - server_cpu
    client_cpu = time.process_time() - client_cpu
    watcher.cancel()
    expected_length = {page: 5 + sum(e.typed for e in editors if e.page == page) for page in pages}
    for _attempt in range(20):  # the last editor left: the server writes the revision
        await asyncio.sleep(1)
        saved = json.loads(manage(RESULT, json.dumps(pages), env=env))
        if all(len(saved[str(page)]) >= expected_length[page] for page in pages):
            break
    elapsed = typed_for
    lost = 0
    diverged = 0
    # Where the difference is: an editor's screen or the saved revision (a revision the server had
    # not yet written when the script stopped waiting shows as lost there, not on the screens).
    lost_on_screens = lost_in_revisions = 0
    for page in pages:
        group = [editor for editor in editors if editor.page == page]
        expected = Counter("Start")
        for editor in group:
            expected[editor.letter] += editor.typed
        texts = [editor.text() for editor in group] + [saved[str(page)]]
        diverged += len(set(texts)) - 1
        for number, text in enumerate(texts):
            missing = sum((expected - Counter(text)).values()) + sum((Counter(text) - expected).values())
            lost += missing
            if number < len(group):
                lost_on_screens += missing
            else:
                lost_in_revisions += missing
    latencies = sorted(stats.latencies)
    # The server's own count (portal.editor logs every close with its code), those of this scenario only.
    with server_log.open(errors="replace") as log:
        log.seek(log_from)
        closes = re.finditer(r"closed by the (client|server)[^:]*: code (\d+)", log.read())
        server_closes = Counter(f"{match[1]} {match[2]}" for match in closes)
    typed = sum(editor.typed for editor in editors)
    return {
        "scenario": name, "responses": len(pages), "editors": len(editors), "rate": rate,
        "seconds": round(elapsed, 1),
        "converged_after_s": round(converged_after, 1),
        "server_cpu_share": round(server_cpu / (typed_for + converged_after), 2),
        "clients_cpu_share": round(client_cpu / (typed_for + converged_after), 2),
        "load_average": os.getloadavg()[0],
        "keystrokes": typed,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "deliveries": len(latencies),
        "messages_in_per_s": round(stats.messages_in / elapsed),
        "messages_out_per_s": round(stats.messages_out / elapsed),
        "rss_before_mib": round(rss_before / 1024, 1), "rss_peak_mib": round(peak / 1024, 1),
        "lost_or_extra_characters": lost, "texts_differing": diverged, "not_converged": stats.not_converged,
        "closes_seen_by_editors": dict(stats.closes), "reconnections": stats.reconnections,
        "closes_logged_by_server": dict(server_closes),
        "lost_on_screens": lost_on_screens, "lost_in_revisions": lost_in_revisions,
        "saved_characters": sum(len(saved[str(page)]) for page in pages),
        "typed_characters": sum(expected_length.values()),
    }


PLANS = {"one": (1, 10, 5.0), "many": (50, 3, 2.0)}  # responses, editors each, keystrokes/s per editor


def row(result: dict, workers: int) -> str:
    """One row of the co-editing table in bench/README.md."""
    each = result["editors"] // result["responses"]
    return (f"| {result['responses']} response{'s' if result['responses'] > 1 else ''} × {each} editors, "
            f"{result['rate']:g} keys/s each, {workers} server process{'es' if workers > 1 else ''} "
            f"| {result['editors']} | {result['keystrokes']} ({result['seconds']:g} s) "
            f"| {result['p50_ms']:.0f} | {result['p95_ms']:.0f} "
            f"| {result['messages_in_per_s']} → {result['messages_out_per_s']} | {result['server_cpu_share']} "
            f"| {result['rss_before_mib']:.0f} → {result['rss_peak_mib']:.0f} "
            f"| {sum(result['closes_seen_by_editors'].values())} / {result['reconnections']} "
            f"| {result['lost_or_extra_characters']} "
            f"| {result['texts_differing']} ({result['editors']} editors + {result['responses']} "
            f"revision{'s' if result['responses'] > 1 else ''}; {result['not_converged']} not converged) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", choices=["one", "many", "both"], default="both",
                        help="one: 1 response × 10 editors; many: 50 responses × 3 editors")
    parser.add_argument("--seconds", type=float, default=20, help="how long everyone types (default 20)")
    parser.add_argument("--responses", type=int, help="responses instead of the scenario's (a smaller try)")
    parser.add_argument("--editors", type=int, help="editors per response instead of the scenario's")
    parser.add_argument("--rate", type=float, help="keystrokes per second per editor instead of the scenario's")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn processes (default 1)")
    parser.add_argument("--no-reconnect", action="store_true",
                        help="editors do not reconnect after a close (the benchmark's behaviour before 8 Dec 2026)")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "DATABASE_URL": DATABASE,
           "SECRET_KEY": secrets.token_urlsafe(50), "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNEL_LAYER_PREFIX": "coedit-bench",
           "PORTAL_LIVE_SAVE_PAUSE_SECONDS": "2", "LOG_LEVEL": "ERROR"}
    # The scratch database: created, migrated and given the demo the first time only.
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "portal_coedit_bench"], capture_output=True)
    subprocess.run([str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    has_demo = manage("print(__import__('portal.organisations.models', fromlist=['x']).OrganisationPage"
                      ".objects.filter(slug='fellesforbundet-for-brukerorganisasjoner').exists())", env=env)
    if has_demo != "True":
        subprocess.run([str(BIN / "python"), "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    tag = str(int(time.time()))
    chosen = ["one", "many"] if args.scenario == "both" else [args.scenario]
    plans = {}
    for name in chosen:
        responses, editors, rate = PLANS[name]
        plans[name] = (args.responses or responses, args.editors or editors, args.rate or rate)
        if plans[name][1] > len(LETTERS):
            parser.error(f"at most {len(LETTERS)} editors per response")
    setups = {name: json.loads(manage(SETUP, str(plans[name][0]), str(plans[name][1]), f"{tag}{name}", env=env))
              for name in chosen}
    server_log = Path(tempfile.mkstemp(prefix="coedit-bench-", suffix=".log")[1])
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), "portal.asgi:application", "--host", "127.0.0.1", "--port", str(PORT),
         "--workers", str(args.workers), "--ws-max-size", "1048576", "--ws-ping-interval", "20",
         "--ws-ping-timeout", "60", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env, stderr=server_log.open("ab"),
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
                break
            except OSError:  # not listening yet
                time.sleep(0.3)
        time.sleep(1 if args.workers == 1 else 3)  # every worker listening
        results = []
        for name in chosen:
            _responses, editors, rate = plans[name]
            setup = setups[name]
            results.append(asyncio.run(scenario(name, setup["pages"], setup["sessions"], editors, args.seconds, rate,
                                                server.pid, env, reconnect=not args.no_reconnect,
                                                server_log=server_log)))
            print(json.dumps(results[-1]), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # a server still busy with the sockets it dropped
            server.kill()
            server.wait(10)
        print(f"server log: {server_log}", file=sys.stderr)
    print("\n| scenario | editors | keystrokes | p50 ms | p95 ms | msgs/s in → out | server CPU share "
          "| RSS MiB (start → peak) | closes / reconnections | lost characters | texts differing |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        print(row(result, args.workers))
    if any(result["lost_or_extra_characters"] or result["texts_differing"] or result["not_converged"]
           for result in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
