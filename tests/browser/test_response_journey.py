"""Journey (issue #15's acceptance path): an organisation drafts a hearing response ON THE PORTAL,
never in the admin, as the real demo roles, each in a browser context of their own, with
org-medlem working in Nynorsk:

an FFB member starts the response from the hearing page and lands in the portal editor; writes
general remarks with the toolbar and two parts (a comment on section 1 and an amendment to section
2, whose diff against the section text shows while typing); comments on section 2 mentioning the
lead (@org-leder), who finds the mention among their notifications; a member of FSA (a member
organisation) sends input, which shows in the editor; the member asks URB to co-sign and URB's lead
co-signs; the member sends the response for approval; the lead reads what changed and returns it
with a comment; the member sees the comment, fixes the text and sends it again; the lead approves;
a moderator approves from the queue; a reader finds it on the public hearing page.

No tab ever loads an /admin/ URL. The hearing itself is set up by the test (its owner's part of
the work is another journey's).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from portal.hearings.models import HearingPage
from tests.browser.journeys import log_in
from tests.hearings.helpers import make_hearing
from tests.helpers import demo_user

FFB = "Fellesforbundet for brukerorganisasjoner"
URB = "Ungdomsrådet for brukermedvirkning"
REMARKS = "FFB stør krava, men dei må gjelde alle møte, også dei digitale."
COMMENT_1 = "Formålet er godt."
COMMENT_1_FIXED = "Formålet er godt, men det må òg gjelde opplæring av representantane."
JUSTIFICATION = "Brukarrepresentantane treng meir tid."
REPLACEMENT = "Brukerrepresentanter kan rekrutteres fra organisasjoner, åpne møter eller egne nettverk."
MENTION = "@org-leder kan du sjå på endringsframlegget til punkt 2?"
INPUT = "FSA ber om at skjemaene fungerer med skjermleser."
RETURN_COMMENT = "Skriv litt meir om opplæring i punkt 1."

TIMEOUT_MS = 40_000


@pytest.fixture(autouse=True)
def _patient_assertions():
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def hearing_in_nynorsk(db) -> tuple[HearingPage, HearingPage]:
    hearing = make_hearing("reise-gjennom-redigeringa", title="Høring om rekruttering av brukerrepresentanter")
    translation = hearing.copy_for_translation(Locale.objects.get(language_code="nn"))
    translation.title = "Høyring om rekruttering av brukarrepresentantar"
    translation.save_revision().publish()
    return hearing, HearingPage.objects.get(pk=translation.pk)


class AdminWatch:
    """Every URL any tab requests, so the journey can prove it never touched the admin."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def watch(self, tab: Page) -> Page:
        tab.on("request", lambda request: self.urls.append(request.url))
        return tab

    def admin_urls(self) -> list[str]:
        return [url for url in self.urls if "/admin/" in url]


def _person(new_tab, watch: AdminWatch, username: str, label: str = "") -> Page:
    tab = watch.watch(new_tab(label or username, timeout_ms=TIMEOUT_MS))
    log_in(tab, username)
    return tab


def _save(tab: Page) -> None:
    tab.locator("button[name=action][value=save]").click()
    expect(tab.locator(".messages")).to_contain_text("Endringane dine er lagra")


def member_starts_the_response_in_nynorsk(member: Page, hearing_nn: HearingPage) -> None:
    member.goto(hearing_nn.url)
    expect(member.locator("html")).to_have_attribute("lang", "nn")
    member.get_by_role("button", name=f"Start eit svar for {FFB}").click()
    expect(member).to_have_url(re.compile(r"/nn/arbeidsrom/utkast/\d+/$"))
    expect(member.locator(".messages")).to_contain_text("Eit utkast til svar er oppretta")
    expect(member.locator(".badge--status")).to_have_text("Utkast")


def member_writes_remarks_and_two_parts(member: Page) -> None:
    box = member.locator(".rich-text-box")
    box.click()
    member.keyboard.type(REMARKS)
    member.get_by_role("button", name="Feit").click()  # the toolbar is there and usable
    member.keyboard.type(" Viktig.")
    member.locator("select[name=parts-0-section_number]").select_option("1")
    member.locator("textarea[name=parts-0-comment]").fill(COMMENT_1)
    _save(member)
    expect(member.locator(".rich-text-box")).to_contain_text(REMARKS)
    expect(member.locator(".rich-text-box").locator("b, strong")).to_contain_text("Viktig.")

    member.locator("select[name=parts-1-section_number]").select_option("2")
    member.locator("select[name=parts-1-kind]").select_option("amendment")
    member.locator("textarea[name=parts-1-comment]").fill(JUSTIFICATION)
    member.locator("textarea[name=parts-1-replacement]").fill(REPLACEMENT)
    diff = member.locator("[data-part]").nth(1).locator("[data-diff]")
    expect(diff.locator("ins").last).to_contain_text("nettverk")
    expect(diff).to_contain_text("ord lagde til")
    _save(member)
    expect(member.locator("select[name=parts-1-section_number]")).to_have_value("2")


def member_comments_and_mentions_the_lead(member: Page) -> None:
    member.locator("#comment-anchor").select_option("2")
    member.locator("#comment-body").fill(MENTION)
    member.get_by_role("button", name="Legg til merknad").click()
    comment = member.locator("#kommentarer article.comment").first
    expect(comment).to_contain_text(MENTION)
    expect(comment).to_contain_text("punkt 2")


def member_asks_urb_to_co_sign(member: Page) -> None:
    member.get_by_label("Organisasjon som skal spørjast").select_option(label=URB)
    member.get_by_role("button", name="Be om medsignering").click()
    expect(member.locator("#medsignering")).to_contain_text(URB)


def member_organisation_sends_input(fsa: Page, hearing: HearingPage) -> None:
    fsa.goto(hearing.url)
    fsa.get_by_role("link", name=f"Send innspill til svaret fra {FFB}").click()
    fsa.locator("textarea[name=text]").fill(INPUT)
    fsa.get_by_role("button", name="Send innspill").click()
    expect(fsa.locator(".messages")).to_contain_text("Takk")


def urb_lead_co_signs(urb: Page, hearing: HearingPage) -> None:
    urb.goto(hearing.url)
    urb.get_by_role("link", name=f"Et svar venter på medsignering fra {URB}").click()
    expect(urb.locator("main")).to_contain_text(JUSTIFICATION)
    urb.get_by_role("button", name="Medsigner").click()
    expect(urb.locator(".messages")).to_contain_text("Avgjørelsen din er registrert")


def open_the_editor(member: Page, hearing_nn: HearingPage) -> None:
    member.goto(hearing_nn.url)
    member.get_by_role("link", name=f"Opne utkastet til svar frå {FFB}").click()
    expect(member).to_have_url(re.compile(r"/nn/arbeidsrom/utkast/\d+/$"))


def member_sees_input_and_co_signature_and_submits(member: Page, hearing_nn: HearingPage) -> None:
    open_the_editor(member, hearing_nn)
    expect(member.locator(".editor__side")).to_contain_text(INPUT)
    expect(member.locator(".editor__side")).to_contain_text(f"{URB}: godkjend")
    member.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(member.locator(".messages")).to_contain_text("sendt til godkjenning")
    expect(member.locator(".badge--status")).to_have_text("Til godkjenning hos leiar")


def _commit_what_waits() -> None:
    """Notifications are stored and sent when a step commits; the journey runs inside the test's
    transaction, which never commits: run what a commit would run."""
    from django.db import connections

    connection = connections["default"]
    waiting, connection.run_on_commit = list(connection.run_on_commit), []
    for _savepoints, callback, _robust in waiting:
        callback()


def lead_finds_the_mention(lead: Page) -> None:
    _commit_what_waits()
    lead.goto("/arbeidsflyt/varsler/")
    expect(lead.locator(".notification-list")).to_contain_text("har en kommentar som nevner deg")
    expect(lead.locator(".notification-list")).to_contain_text(MENTION)


def _open_review(tab: Page) -> None:
    tab.goto("/arbeidsflyt/")
    # The title was given in Nynorsk, when the member started the response.
    tab.get_by_role("link", name=re.compile("^Godkjenn eller avvis «Høyringssvar: Høyring om rekruttering")).click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Vurder «")


def lead_returns_it(lead: Page) -> None:
    _open_review(lead)
    expect(lead.locator(".workflow-compare")).to_contain_text(COMMENT_1)
    expect(lead.locator(".workflow-compare")).to_contain_text(REPLACEMENT)
    lead.get_by_label("Kommentar").fill(RETURN_COMMENT)
    lead.get_by_role("button", name="Send tilbake med kommentar").click()
    expect(lead.locator(".messages")).to_contain_text("sendt tilbake")


def member_fixes_and_sends_again(member: Page, hearing_nn: HearingPage) -> None:
    open_the_editor(member, hearing_nn)
    expect(member.locator(".badge--status")).to_have_text("Sendt tilbake med ønske om endringar")
    expect(member.locator("main")).to_contain_text(RETURN_COMMENT)
    member.locator("textarea[name=parts-0-comment]").fill(COMMENT_1_FIXED)
    member.get_by_role("button", name="Lagre og send til godkjenning").click()
    expect(member.locator(".badge--status")).to_have_text("Til godkjenning hos leiar")


def lead_approves(lead: Page) -> None:
    _open_review(lead)
    expect(lead.locator(".workflow-compare")).to_contain_text("opplæring av representantane")
    lead.get_by_role("button", name="Godkjenn", exact=True).click()
    expect(lead.locator(".messages")).to_contain_text("Utkastet er godkjent")


def moderator_approves(moderator: Page) -> None:
    _open_review(moderator)
    expect(moderator.locator(".badge--status")).to_have_text("Til moderering")
    moderator.get_by_role("button", name="Godkjenn", exact=True).click()
    expect(moderator.locator(".messages")).to_contain_text("Utkastet er godkjent")


def reader_sees_it_public(reader: Page, hearing_nn: HearingPage) -> None:
    reader.goto(hearing_nn.url)
    response = reader.locator("article.response", has=reader.get_by_role("heading", name=FFB))
    expect(response).to_contain_text(REMARKS)
    expect(response).to_contain_text(COMMENT_1_FIXED)
    expect(response).to_contain_text(URB)
    expect(response.locator(".amendment-diff ins").last).to_contain_text("nettverk")


def test_an_organisation_drafts_and_publishes_a_response_on_the_portal(new_tab, hearing_in_nynorsk):
    hearing, hearing_nn = hearing_in_nynorsk
    assert demo_user("org-medlem").wagtail_userprofile.preferred_language == "nn"
    watch = AdminWatch()

    member = _person(new_tab, watch, "org-medlem")
    member_starts_the_response_in_nynorsk(member, hearing_nn)
    member_writes_remarks_and_two_parts(member)
    member_comments_and_mentions_the_lead(member)
    member_asks_urb_to_co_sign(member)
    member_organisation_sends_input(_person(new_tab, watch, "medlemsorg-medlem"), hearing)
    urb_lead_co_signs(_person(new_tab, watch, "urb-leder"), hearing)
    member_sees_input_and_co_signature_and_submits(member, hearing_nn)

    lead = _person(new_tab, watch, "org-leder")
    lead_finds_the_mention(lead)
    lead_returns_it(lead)
    member_fixes_and_sends_again(member, hearing_nn)
    lead_approves(lead)
    moderator_approves(_person(new_tab, watch, "moderator"))
    reader_sees_it_public(watch.watch(new_tab("reader", timeout_ms=TIMEOUT_MS)), hearing_nn)

    assert watch.admin_urls() == []
