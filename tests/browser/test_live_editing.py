"""Two members write the same paragraph of a response at once in two browsers (live co-editing over
WebSockets, served by uvicorn): both see both texts, with the other's name at their cursor, and the
saved revision holds both. An outsider's socket is refused."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from portal.hearings.models import HearingResponsePage
from tests.browser.asgi_server import SharedConnectionAsgiServer
from tests.browser.journeys import log_in
from tests.hearings.helpers import make_hearing, make_response
from tests.helpers import demo_user


@pytest.fixture
def asgi_server(db, settings):
    settings.PORTAL_LIVE_SAVE_PAUSE_SECONDS = 1
    server = SharedConnectionAsgiServer()
    server.start_serving()
    yield server
    server.stop()


@pytest.fixture
def tab_on(chromium, asgi_server, request):
    contexts = []

    def _open():
        context = chromium.new_context(base_url=asgi_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _editor(tab):
    return tab.locator("[data-live-editor] .rich-text-box__editor")


def _text(tab) -> str:
    """The document's text as the member sees it, without the others' cursors and names."""
    return _editor(tab).evaluate("""(editor) => {
        const copy = editor.cloneNode(true);
        copy.querySelectorAll(".ProseMirror-yjs-cursor").forEach((cursor) => cursor.remove());
        return copy.textContent;
    }""")


def test_two_members_write_one_paragraph_at_once_and_an_outsider_is_refused(tab_on, asgi_server):
    response = make_response(make_hearing("samskriving-i-nettlesar"), remarks="<p>Vi mener</p>", parts=[],
                             user=demo_user("org-medlem"))
    url = f"/arbeidsrom/utkast/{response.pk}/"
    member, lead = tab_on(), tab_on()
    for tab, username in ((member, "org-medlem"), (lead, "org-leder")):
        log_in(tab, username)
        tab.goto(url)
        expect(tab.locator("[data-editor][data-live=on]")).to_be_attached()
        expect(_editor(tab)).to_have_text("Vi mener")

    # Both put the cursor at the end of the paragraph and type, keystroke by keystroke in turn.
    for tab in (member, lead):
        _editor(tab).click()
        tab.keyboard.press("End")
    mine, theirs = " ABCDEFGH", " 12345678"
    for a, b in zip(mine, theirs, strict=True):
        member.keyboard.type(a)
        lead.keyboard.type(b)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (_text(member) == _text(lead) and len(_text(member)) == 26):
        member.wait_for_timeout(100)
    on_screen = _text(member)
    assert on_screen == _text(lead)
    assert on_screen.startswith("Vi mener ") and sorted(on_screen[8:]) == sorted(mine + theirs)
    # Each member's own keystrokes stay in the order they were typed.
    assert "".join(c for c in on_screen if c in mine[1:]) == mine[1:]
    assert "".join(c for c in on_screen if c in theirs[1:]) == theirs[1:]
    # The other's name at their cursor.
    expect(lead.locator(".ProseMirror-yjs-cursor__name")).to_have_text(demo_user("org-medlem").get_full_name())
    expect(member.locator(".ProseMirror-yjs-cursor__name")).to_have_text(demo_user("org-leder").get_full_name())

    # Typing paused: the server saves a revision holding both texts (the page says when).
    expect(member.locator("[data-live-status]")).to_contain_text(re.compile(r"\d[:.]\d\d"), timeout=10_000)
    deadline = time.monotonic() + 10
    saved = ""
    while time.monotonic() < deadline:
        saved = HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object().general_remarks
        if on_screen in saved:
            break
        member.wait_for_timeout(250)
    assert saved == f"<p>{on_screen}</p>"

    # An outsider gets no editor page and no socket.
    outsider = tab_on()
    log_in(outsider, "urb-leder")
    assert outsider.goto(url).status == 404
    outcome = outsider.evaluate("""(path) => new Promise((resolve) => {
        const socket = new WebSocket("ws://" + location.host + path);
        socket.binaryType = "arraybuffer";
        socket.onmessage = () => resolve("received");
        socket.onopen = () => window.setTimeout(() => resolve("open"), 1000);
        socket.onclose = () => resolve("refused");
    })""", f"/ws/utkast/{response.pk}")
    assert outcome == "refused"
