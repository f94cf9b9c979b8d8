"""XSS matrix in a real browser (#17): every field a non-admin can write — council threads, posts,
hidden-post reasons, file names and document titles, people's names, hearing responses and their
parts, input from a member organisation, editor comments, minutes entries and comments, agenda
items, referral notes — carries script payloads planted through the portal's own services (the
path a form post takes), and every page that shows them is opened in Chromium by someone who may
read it. No dialog may open, no Content-Security-Policy violation may be reported (an inline
handler or script that survived escaping is blocked by the policy and reported), and no link or
frame may point at a ``javascript:`` URL.

tests/security/test_xss.py scans the HTML of hundreds of payloads without a browser; this matrix
proves in the browser that what the pages render does not run.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.core.documents import simple_pdf
from portal.councils import actions as council_actions
from portal.editor import actions as editor_actions
from portal.hearings import actions as hearing_actions
from portal.hearings.models import PublishedResponse
from portal.meetings import actions as meeting_actions
from portal.organisations import actions as organisation_actions
from tests.editor.helpers import loaded
from tests.hearings.helpers import FFB, FSA, accept, make_hearing, make_response
from tests.helpers import PortalClient, demo_page, demo_user, make_user
from tests.meetings import factories as meeting_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Each payload raises a numbered dialog if it ever runs (or a CSP report if the policy blocks it).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><img src=x onerror=alert(4)>',
    "'><script>alert(5)</script>",
    '<a href="javascript:alert(6)">lenke</a>',
    '<iframe src="javascript:alert(7)"></iframe>',
    "<details open ontoggle=alert(8)>",
    "<body onload=alert(9)>",
    "</textarea></title><script>alert(10)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    "<input autofocus onfocus=alert(12)>",
    "javascript:alert(13)",
    '<a href="&#106;avascript:alert(14)">lenke</a>',
]
# Long text fields get every payload; titles, names and file names a short mix (their length limits).
LONG = "Skriptprøve " + " ".join(PAYLOADS)
SHORT = '"><svg onload=alert(21)><img src=x onerror=alert(22)></title><script>alert(23)</script>'
NAME = '"><svg onload=alert(31)>'
FILE_NAME = '"><img src=x onerror=alert(41)>.pdf'

# Listens from the very first script of every document (init scripts run before the page's own).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}: ${event.sample}`);
});
"""
SCRIPT_URLS = """() => Array.from(document.querySelectorAll('[href], [src], [action], [formaction]'))
  .flatMap((element) => ['href', 'src', 'action', 'formaction'].map((name) => element.getAttribute(name) || ''))
  .filter((value) => /^\\s*(javascript|vbscript|data:text\\/html)/i.test(value))"""


@dataclass
class Viewer:
    """Someone who may read some of the planted fields, and the pages that show them to them."""

    user: object | None
    urls: list[tuple[str, str]] = field(default_factory=list)  # (what was planted, URL)


def _seated(username: str, council_slug: str, **names) -> object:
    user = make_user(username, **names)
    council_actions.membership_add(council=demo_page(council_slug), user=user)
    return user


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf("Vedlegg", "Skriptprøve i vedlegg"), content_type="application/pdf")


def plant_council_space(viewers: dict[str, Viewer]) -> None:
    bergen = demo_page(meeting_factories.BERGEN)
    writer = _seated("xss-utvalg-skriver", meeting_factories.BERGEN, first_name=NAME, last_name=NAME)
    thread = council_actions.thread_start(council=bergen, author=writer, title=SHORT, body=LONG,
                                          files=[_pdf(FILE_NAME)])
    council_actions.thread_reply(thread=thread, author=writer, body=LONG, files=[_pdf(FILE_NAME)])
    hidden = council_actions.thread_reply(thread=thread, author=writer, body=LONG)
    council_actions.post_hide(post=hidden, actor=demo_user("utvalgssekretaer"), reason=LONG[:500])
    council_actions.document_upload(council=bergen, actor=writer, title=SHORT, upload=_pdf(FILE_NAME))
    pages = [("council thread, posts, attachments, author's name", thread.url_in(bergen)),
             ("council thread in Nynorsk", thread.url_in(demo_page(meeting_factories.BERGEN, "nn"))),
             ("council space: thread list, internal documents", bergen.space_url("space")),
             ("council member list: names", bergen.space_url("members")),
             ("search snippets of council posts", "/search/?q=Skriptpr%C3%B8ve")]
    viewers["utvalgsmedlem"].urls += pages
    # The secretary reads the hidden post's text and the reason it was hidden.
    viewers["utvalgssekretaer"].urls += [("hidden post and its reason", thread.url_in(bergen))]


def plant_hearing_response(viewers: dict[str, Viewer]) -> None:
    member = demo_user("org-medlem")
    hearing = make_hearing("xss-matrise")
    draft = make_response(hearing, remarks="", parts=[], user=member)
    editor_actions.response_save(
        page=draft, user=member, title=SHORT, general_remarks=LONG,
        parts=[editor_actions.PartInput("1", "amendment", LONG, LONG),
               editor_actions.PartInput("2", "comment", LONG, "")], **loaded(draft))
    organisation_actions.membership_add(organisation=demo_page(FSA), user=(sender := make_user(
        "xss-innspill", first_name=NAME, last_name=NAME)))
    hearing_actions.input_send(response=draft, organisation=demo_page(FSA), user=sender, text=LONG)
    commenter = make_user("xss-kommentator", first_name=NAME, last_name=NAME)
    organisation_actions.membership_add(organisation=demo_page(FFB), user=commenter)
    editor_actions.comment_add(page=draft, user=commenter, body=LONG, quote=LONG)
    editor = f"/arbeidsrom/utkast/{draft.pk}/"
    viewers["org-medlem"].urls += [
        ("response in the editor: title, remarks, parts, input, comments", editor),
        ("response in the editor, Nynorsk", f"/nn{editor}"),
        ("response review page", editor + "godkjenning/"),
        ("draft response page", draft.url),
    ]
    viewers["xss-innspill"] = Viewer(sender, [("input as its sender sees it", hearing.url + f"innspill/{draft.pk}/")])
    # The same text, accepted and published, on the public hearing page.
    published = make_hearing("xss-matrise-publisert")
    accepted = make_response(published, remarks="", parts=[], user=member, slug="svar-xss-publisert")
    editor_actions.response_save(
        page=accepted, user=member, title=SHORT, general_remarks=LONG,
        parts=[editor_actions.PartInput("1", "amendment", LONG, LONG)], **loaded(accepted))
    # Accept what was saved last (the published copy is made from the page as accept() gets it).
    accept(type(accepted).objects.get(pk=accepted.pk).get_latest_revision_as_object())
    # Each published response has its own page under the hearing (the hearing page links to it).
    own_page = PublishedResponse.objects.get(response=accepted).get_absolute_url()
    viewers["anonymous"].urls += [("published response on its own public page", own_page)]


def plant_meetings(viewers: dict[str, Viewer]) -> None:
    secretary = demo_user("utvalgssekretaer")
    page = meeting_factories.meeting(slug="xss-matrise-mote", items=[{"title": "Ventetid ved kontoret"}])
    meeting_actions.agenda_item_add(meeting=page, user=secretary, title=SHORT, description=LONG)
    items = {item.pk: (LONG, LONG) for item in page.agenda_items.all()}
    minutes = meeting_actions.minutes_start(meeting=page, user=secretary)
    minutes = meeting_actions.minutes_save(minutes=minutes, user=secretary, texts=items,
                                           loaded_version=minutes.version)
    minutes = meeting_actions.minutes_circulate(minutes=minutes, user=secretary,
                                                comment_deadline=timezone.localdate() + datetime.timedelta(days=7))
    meeting_actions.minutes_comment(minutes=minutes, user=demo_user("utvalgsmedlem"), text=LONG)
    viewers["utvalgsmedlem"].urls += [("circulated minutes: entries and comments", f"/moter/mote/{page.pk}/referat/")]
    viewers["utvalgssekretaer"].urls += [("minutes being written", f"/moter/mote/{page.pk}/referat/")]

    held = meeting_factories.meeting(slug="xss-matrise-holdt", items=[{"title": "Svartider"}])
    meeting_factories.minutes(held, {"Svartider": (LONG, LONG)})
    item = held.agenda_items.get()
    vestland = meeting_factories.council(meeting_factories.VESTLAND)
    meeting_actions.case_refer(item=item, to_council=vestland, user=secretary, note=LONG)
    viewers["anonymous"].urls += [("published minutes on the meeting page", held.url),
                                  ("case trail", f"/moter/sak/{item.pk}/")]
    viewers["fylkesutvalgsmedlem"].urls += [("referral note", f"/moter/utvalg/{vestland.pk}/henviste-saker/")]


def _viewers() -> dict[str, Viewer]:
    names = ("anonymous", "utvalgsmedlem", "utvalgssekretaer", "org-medlem", "fylkesutvalgsmedlem")
    return {name: Viewer(None if name == "anonymous" else demo_user(name)) for name in names}


def _session_cookie(user, base_url: str) -> list[dict]:
    """Log in as the portal's own sign-in ends (second factor passed where needed), without typing."""
    client = PortalClient()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    return [{"name": "sessionid", "value": cookie.value, "url": base_url}]


def _watched_tab(chromium, portal_server, user) -> Iterator:
    context = chromium.new_context(base_url=portal_server.url)
    context.set_default_timeout(20_000)
    context.add_init_script(WATCH)
    if user is not None:
        context.add_cookies(_session_cookie(user, portal_server.url))
    tab = context.new_page()
    dialogs: list[str] = []

    def _dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", _dismiss)
    return context, tab, dialogs


def _visit(tab, dialogs: list[str], url: str) -> list[str]:
    """Everything that went wrong on one page: dialogs, policy violations, script URLs."""
    response = tab.goto(url, wait_until="load")
    if response is None or response.status != 200:
        return [f"answered {response and response.status}"]
    # Handlers such as ontoggle and onfocus fire just after load: give them a moment.
    tab.wait_for_timeout(150)
    problems = [f"dialog {message!r}" for message in dialogs]
    problems += [f"CSP violation: {text}" for text in tab.evaluate("window.__violations")]
    problems += [f"script URL {value!r}" for value in tab.evaluate(SCRIPT_URLS)]
    # The payload is on the page as text (escaped): the field really is shown here.
    if "alert(" not in tab.inner_text("body"):
        problems.append("the planted text is not shown (wrong page for this field?)")
    dialogs.clear()
    return problems


def test_the_watch_notices_a_dialog_a_policy_violation_and_a_script_url(chromium, portal_server):
    """Positive control: each of the three checks fires on a page where the thing does happen, so
    an empty result below means nothing ran."""
    context, tab, dialogs = _watched_tab(chromium, portal_server, None)
    try:
        tab.goto("/", wait_until="load")
        tab.evaluate("""() => { const img = document.createElement('div');
            img.innerHTML = '<img src=x onerror=alert(99)><a href="javascript:alert(98)">x</a>';
            document.body.append(img); }""")
        tab.wait_for_timeout(300)
        assert any("script-src" in text for text in tab.evaluate("window.__violations"))
        assert tab.evaluate(SCRIPT_URLS) == ["javascript:alert(98)"]
        tab.evaluate("() => alert('kontroll')")
        assert dialogs == ["kontroll"]
    finally:
        context.close()


def test_no_script_written_into_any_field_runs_on_any_page_that_shows_it(chromium, portal_server):
    viewers = _viewers()
    plant_council_space(viewers)
    plant_hearing_response(viewers)
    plant_meetings(viewers)
    problems: list[str] = []
    visited = 0
    for name, viewer in viewers.items():
        context, tab, dialogs = _watched_tab(chromium, portal_server, viewer.user)
        try:
            for planted, url in viewer.urls:
                found = _visit(tab, dialogs, url)
                visited += 1
                problems += [f"{name} on {url} ({planted}): {problem}" for problem in found]
        finally:
            context.close()
    assert visited >= 17
    assert problems == [], "\n".join(problems)
