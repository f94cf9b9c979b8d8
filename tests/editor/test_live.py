"""Live co-editing over the WebSocket: who gets in, who is put out, what is refused, and that what
two members type at once ends in the document and in an ordinary revision of the draft."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import channels.db
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import DEFAULT_DB_ALIAS, connections
from wagtail.models import Revision

from portal.editor import consumers, livetext
from portal.editor.models import LiveDocument
from portal.hearings.models import HearingResponsePage
from portal.organisations.models import OrganisationMembership
from portal.positions.models import PositionPaperPage
from tests.editor.live import LiveEditor, session_cookie, settle
from tests.hearings.helpers import make_hearing, make_response
from tests.helpers import demo_user
from tests.positions.helpers import draft as position_paper_draft

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHARED_REDIS = "redis://127.0.0.1:6379/0"  # the machine's Redis (README), as tests/core/test_cache_backends.py


@pytest.fixture(autouse=True)
def live_settings(settings, monkeypatch):
    settings.PORTAL_LIVE_SAVE_PAUSE_SECONDS = 0.3
    # The test's transaction is the consumers' connection too (they run in the test's thread): a
    # request's connection check would end it, as Django's test client also avoids.
    monkeypatch.setattr(consumers, "close_old_connections", lambda: None)
    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)
    return settings


@pytest.fixture
def response():
    hearing = make_hearing("samskriving")
    return make_response(hearing, remarks="<p>Vi mener</p>", parts=[], user=demo_user("org-medlem"))


@pytest.fixture
def production_channel_layer(settings):
    """The channel layer exactly as the production settings configure it, on the machine's Redis,
    with a prefix of this test's own."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(SECRET_KEY="x" * 50, REDIS_URL=SHARED_REDIS, CHANNEL_LAYER_PREFIX=f"test-live-{uuid.uuid4().hex}")
    printed = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", "import json; from portal.settings import production; "
                               "print(json.dumps(production.CHANNEL_LAYERS))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    settings.CHANNEL_LAYERS = json.loads(printed.stdout)
    return settings.CHANNEL_LAYERS


class ElsewhereMember:
    """Whatever a room in another server process passes on to its own editors."""

    def __init__(self) -> None:
        self.kinds: list[str] = []

    async def relay(self, kind: str, message: bytes) -> None:
        self.kinds.append(kind)


async def until(condition, seconds: float = 3) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not condition():
        assert loop.time() - started < seconds, "not within the time"
        await asyncio.sleep(0.02)


def remarks(page) -> str:
    return HearingResponsePage.objects.get(pk=page.pk).get_latest_revision_as_object().general_remarks


def run(scenario) -> None:
    async def wrapped() -> None:
        try:
            await scenario()
        finally:
            await settle()

    # The scenario runs in a thread of its own, on the test's connection (its transaction holds the
    # draft and the sessions). Not in the test's thread: Playwright's sync API (the browser tests, in
    # the same xdist worker) leaves its event loop running there, and Django then keeps that thread's
    # connections per async context, so the consumers' work would get a second connection, which
    # on SQLite's shared in-memory database waits on the test's uncommitted rows ("table is locked").
    connection = connections[DEFAULT_DB_ALIAS]
    failure: list[BaseException] = []

    def in_thread() -> None:
        connections[DEFAULT_DB_ALIAS] = connection
        try:
            async_to_sync(wrapped)()
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            failure.append(error)

    connection.inc_thread_sharing()
    try:
        worker = threading.Thread(target=in_thread)
        worker.start()
        worker.join()
    finally:
        connection.dec_thread_sharing()
    if failure:
        raise failure[0]


def test_an_outsider_and_an_anonymous_visitor_are_refused(response):
    outsider = LiveEditor(response.pk, session_cookie("urb-leder"))
    anonymous = LiveEditor(response.pk, None)
    foreign_site = LiveEditor(response.pk, session_cookie("org-medlem"), origin="https://evil.example")

    async def scenario() -> None:
        assert not await outsider.connect()
        assert not await anonymous.connect()
        assert not await foreign_site.connect()

    run(scenario)
    assert outsider.received == anonymous.received == foreign_site.received == 0


def test_two_members_typing_in_the_same_paragraph_at_once_end_with_both_texts_everywhere(response):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))
    before = Revision.objects.for_instance(response).count()

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        assert member.text() == lead.text() == "Vi mener"
        # Both type into the same paragraph without waiting for each other.
        await asyncio.gather(member.type(" at brukerne"), lead.type(" og vi vil", at=0))
        await asyncio.gather(member.pump(), lead.pump())
        assert member.text() == lead.text()
        for typed in ("at brukerne", "og vi vil", "Vi mener"):
            assert typed in member.text()
        # Typing paused: the server writes a revision and tells both editors which one.
        await asyncio.sleep(0.8)
        await asyncio.gather(member.pump(), lead.pump())
        assert any("saved" in message for message in member.portal)
        assert any("saved" in message for message in lead.portal)
        await member.close()
        await lead.close()

    run(scenario)
    text = remarks(response)
    assert "at brukerne" in text and "og vi vil" in text and "Vi mener" in text
    assert text.startswith("<p>") and text.endswith("</p>")
    assert Revision.objects.for_instance(response).count() == before + 1
    assert LiveDocument.objects.get(page=response).html == text


def test_a_member_removed_mid_session_is_disconnected_within_five_seconds_and_gets_nothing_more(response):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    def remove_member() -> None:
        OrganisationMembership.objects.filter(user=demo_user("org-medlem")).delete()

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        await sync_to_async(remove_member)()
        # No signal reaches the consumer here (the test's transaction never commits): the periodic check does.
        seconds = await member.wait_closed(5)
        assert seconds < 5
        assert member.close_code == consumers.REFUSED
        received = member.received
        await lead.type(" etter fjerning")
        await lead.pump()
        await member.pump()
        assert member.received == received
        assert "etter fjerning" not in member.text()
        await lead.close()

    run(scenario)


def test_access_is_asked_again_once_per_draft_for_all_its_editors(response, monkeypatch, settings):
    """The periodic check is one trip to the database thread per open draft, whoever has it open:
    per socket, 150 editors kept that thread busy and the saves waited behind the checks."""
    asked: list[list[int]] = []
    still_admitted = consumers._still_admitted

    def counted(user_ids: list[int], page_id: int) -> set[int]:
        asked.append(list(user_ids))
        return still_admitted(user_ids, page_id)

    monkeypatch.setattr(consumers, "_still_admitted", counted)
    settings.PORTAL_LIVE_RECHECK_SECONDS = 0.3
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        asked.clear()  # from here on both are in the room
        await until(lambda: len(asked) >= 2)
        await member.pump()
        assert member.close_code is None and lead.close_code is None, "both may still write"
        await member.close()
        await lead.close()

    run(scenario)
    both = sorted([demo_user("org-medlem").pk, demo_user("org-leder").pk])
    assert asked and all(ids == both for ids in asked), asked


@pytest.mark.parametrize("layer", ["in memory", "production (Redis)"])
def test_a_membership_change_disconnects_at_once_through_the_channel_layer(response, settings, layer, request,
                                                                          django_capture_on_commit_callbacks):
    if layer != "in memory":
        request.getfixturevalue("production_channel_layer")
    settings.PORTAL_LIVE_RECHECK_SECONDS = 60
    member = LiveEditor(response.pk, session_cookie("org-medlem"))

    def remove_member() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            OrganisationMembership.objects.filter(user=demo_user("org-medlem")).delete()

    async def scenario() -> None:
        assert await member.connect()
        await sync_to_async(remove_member)()
        assert await member.wait_closed(1) < 1

    run(scenario)


def test_through_redis_a_quiet_spell_ends_no_socket_and_other_server_processes_get_every_keystroke(
        response, production_channel_layer):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    crossings: list[dict] = []

    async def scenario() -> None:
        assert await member.connect()
        layer = consumers.get_channel_layer()
        send = layer.group_send

        async def counted(group: str, message: dict) -> None:
            crossings.append(message)
            await send(group, message)

        layer.group_send = counted
        # The same draft opened in another server process: a room of its own on the same Redis. It
        # starts empty (as if the stored state lagged) and gets the text from the room here.
        elsewhere = consumers.Room(response.pk, b"")
        seen = ElsewhereMember()
        elsewhere.members.add(seen)
        await elsewhere.open_bridge()
        try:
            await until(lambda: livetext.plain_text(elsewhere.doc, "general_remarks") == "Vi mener")
            # Longer than channels-redis' blocking pop waits (5 s): the old layer ended every socket here.
            await asyncio.sleep(6)
            await member.pump()
            assert member.close_code is None
            crossings.clear()
            await member.type(" at brukerne")
            await until(lambda: livetext.plain_text(elsewhere.doc, "general_remarks") == "Vi mener at brukerne")
            assert "update" in seen.kinds
            # A burst of keystrokes crosses Redis as fewer messages than keystrokes, none lost.
            assert 0 < len([message for message in crossings if message["update"]]) < len(" at brukerne")
            # Typed over there: here it reaches the member.
            before = elsewhere.doc.get_state()
            paragraph = livetext.fragment(elsewhere.doc, "general_remarks").children[0]
            paragraph.children[0].insert(0, "Nå: ")
            await elsewhere.broadcast("update", elsewhere.doc.get_update(before), sender=None)
            loop = asyncio.get_running_loop()
            started = loop.time()
            while member.text() != "Nå: Vi mener at brukerne" and loop.time() - started < 3:
                await member.pump(timeout=0.1)
            assert member.text() == "Nå: Vi mener at brukerne"
            await member.close()
        finally:
            elsewhere.bridge.cancel()
            await layer.group_discard(consumers.page_group(response.pk), elsewhere.channel)
            layer.group_send = send

    run(scenario)
    # (What was typed over there is that process's room to save.)
    assert "Vi mener at brukerne" in remarks(response)


def test_a_malformed_update_closes_that_socket_and_the_document_is_intact(response):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        await member.type(" at dette er viktig")
        await lead.pump()
        garbage = b"\xff\xfe\x07" * 40
        await lead.send(bytes([0, 2]) + consumers.write_var_uint(len(garbage)) + garbage)
        await lead.wait_closed(2)
        assert lead.close_code == consumers.MALFORMED
        # The other member keeps writing; the server's document has everything.
        await member.type("!")
        await member.pump()
        assert member.text() == "Vi mener at dette er viktig!"
        room = consumers._rooms()[response.pk]
        assert livetext.plain_text(room.doc, "general_remarks") == "Vi mener at dette er viktig!"
        await member.close()

    run(scenario)
    assert remarks(response) == "<p>Vi mener at dette er viktig!</p>"


def test_an_oversize_message_and_a_flood_of_messages_are_refused(response, settings):
    settings.PORTAL_LIVE_MAX_MESSAGE_BYTES = 1024
    settings.PORTAL_LIVE_BURST = 20
    settings.PORTAL_LIVE_MESSAGES_PER_SECOND = 5
    big = LiveEditor(response.pk, session_cookie("org-medlem"))
    flood = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await big.connect()
        before = big.doc.get_state()
        big.fragment.children[0].children[0].insert(0, "x" * 2000)
        await big.send(consumers.create_update_message(big.doc.get_update(before)))
        await big.wait_closed(2)
        assert big.close_code == consumers.TOO_BIG
        assert await flood.connect()
        assert flood.text() == "Vi mener"  # nothing of the refused message
        for clock in range(40):
            await flood.awareness_update(7, clock, {"cursor": None})
        await flood.wait_closed(2)
        assert flood.close_code == consumers.TOO_FAST

    run(scenario)
    assert remarks(response) == "<p>Vi mener</p>"


def test_the_server_puts_the_members_own_name_at_their_cursor(response):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        await member.awareness_update(11, 1, {"user": {"name": "Noen andre"}, "cursor": None})
        await lead.pump()
        await member.close()
        await lead.pump()
        await lead.close()

    run(scenario)
    shown = lead.awareness[0].decode(errors="replace")
    name = demo_user("org-medlem").get_full_name()
    assert name in shown and "Noen andre" not in shown
    assert b"null" in lead.awareness[-1]  # the cursor goes when its member leaves


def test_edits_made_offline_merge_when_the_connection_returns(response):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await member.connect()
        await member.close()
        # On the train: the member goes on writing in the same document.
        member.fragment.children[0].children[0].insert(len("Vi mener"), " (skrevet på toget)")
        assert await lead.connect()
        await lead.type(" nå")
        await lead.pump()
        again = LiveEditor(response.pk, member.cookie, doc=member.doc)
        assert await again.connect()
        await asyncio.gather(again.pump(), lead.pump())
        assert again.text() == lead.text()
        assert "(skrevet på toget)" in lead.text() and " nå" in again.text()
        await again.close()
        await lead.close()

    run(scenario)
    assert "(skrevet på toget)" in remarks(response) and " nå" in remarks(response)


def test_a_save_without_live_editing_is_taken_into_the_live_document(response, login):
    from tests.editor.helpers import response_post

    member = LiveEditor(response.pk, session_cookie("org-medlem"))

    async def scenario() -> None:
        assert await member.connect()
        await member.close()

    run(scenario)
    login("org-leder").post(f"/arbeidsrom/utkast/{response.pk}/", response_post(response, remarks="<p>Ny tekst</p>"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def reopen() -> None:
        assert await lead.connect()
        await lead.close()

    run(reopen)
    assert lead.text() == "Ny tekst"


def test_a_draft_waiting_for_approval_cannot_be_opened_live(response, login):
    from portal.editor import actions

    actions.submit(page=response, user=demo_user("org-medlem"))
    member = LiveEditor(response.pk, session_cookie("org-medlem"))

    async def scenario() -> None:
        assert not await member.connect()

    run(scenario)


def test_a_position_paper_draft_is_written_live_together_too(login):
    paper = position_paper_draft(body="<p>Vi mener noe viktig.</p>")
    page = login("org-medlem").get(f"/arbeidsrom/utkast/{paper.pk}/")
    assert page.status_code == 200
    assert 'data-live-name="body"' in page.content.decode()
    member = LiveEditor(paper.pk, session_cookie("org-medlem"), field="body")
    lead = LiveEditor(paper.pk, session_cookie("org-leder"), field="body")
    outsider = LiveEditor(paper.pk, session_cookie("urb-leder"), field="body")

    async def scenario() -> None:
        assert not await outsider.connect()
        assert await member.connect()
        assert await lead.connect()
        assert member.text() == lead.text() == "Vi mener noe viktig."
        await asyncio.gather(member.type(" Og mer."), lead.type("Samlet: ", at=0))
        await asyncio.gather(member.pump(), lead.pump())
        assert member.text() == lead.text() == "Samlet: Vi mener noe viktig. Og mer."
        await member.close()
        await lead.close()

    run(scenario)
    assert outsider.received == 0
    saved = PositionPaperPage.objects.get(pk=paper.pk).get_latest_revision_as_object().body
    assert saved == "<p>Samlet: Vi mener noe viktig. Og mer.</p>"


def test_a_burst_of_cursor_moves_reaches_the_others_as_one_message_with_the_latest_position(response, settings):
    settings.PORTAL_LIVE_AWARENESS_SECONDS = 0.2
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        lead.awareness.clear()
        # Two moves within the window, as two keystrokes in quick succession send them.
        await member.awareness_update(11, 1, {"cursor": {"anchor": 3, "head": 3}})
        await member.awareness_update(11, 2, {"cursor": {"anchor": 4, "head": 4}})
        await lead.pump()
        assert len(lead.awareness) == 1
        shown = lead.awareness[0].decode(errors="replace")
        assert '"anchor": 4' in shown and '"anchor": 3' not in shown
        # The text itself is not held back by the window.
        received = lead.received
        await member.type("!")
        await lead.pump(timeout=0.1)
        assert lead.received == received + 1
        assert lead.text() == "Vi mener!"
        await member.close()
        await lead.close()

    run(scenario)


def test_every_socket_close_is_logged_with_its_code(response, caplog):
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))
    outsider = LiveEditor(response.pk, session_cookie("urb-leder"))

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        assert not await outsider.connect()
        await lead.send(bytes([0, 2, 3]) + b"\xff\xfe\x07")
        await lead.wait_closed(2)
        await member.communicator.disconnect(code=1001, timeout=5)

    with caplog.at_level("INFO", logger="portal.editor"):
        run(scenario)
    closes = [record.getMessage() for record in caplog.records if "closed" in record.getMessage()
              or "refused" in record.getMessage()]
    page = response.pk
    assert f"Live editor socket on page {page} refused: code 4403" in closes
    assert f"Live editor socket on page {page} closed by the server: code 4400 (malformed message)" in closes
    assert f"Live editor socket on page {page} closed by the client or the network: code 1001, reason ''" in closes


def test_keystrokes_reach_the_others_while_the_database_thread_is_busy(response):
    """A save or an access check in Django's one database thread does not hold up the text."""
    member = LiveEditor(response.pk, session_cookie("org-medlem"))
    lead = LiveEditor(response.pk, session_cookie("org-leder"))

    async def scenario() -> None:
        assert await member.connect()
        assert await lead.connect()
        busy = asyncio.ensure_future(sync_to_async(time.sleep, thread_sensitive=True)(2))
        await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await member.type(" nå")
        while lead.text() != "Vi mener nå" and loop.time() - started < 3:
            await lead.pump(timeout=0.05)
        assert lead.text() == "Vi mener nå"
        assert loop.time() - started < 1
        assert not busy.done()
        await busy
        await member.close()
        await lead.close()

    run(scenario)
