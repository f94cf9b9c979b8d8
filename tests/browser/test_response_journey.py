"""Journey 2 (issue #5's acceptance path): a hearing goes from the owner's draft to a concluded
hearing, and an organisation's response goes from a member's draft to a published answer whose
amendment has a disposition, all through the real UI in Chromium, as the demo users, each person in
a browser context of their own:

the hearing owner writes a hearing in the admin and sends it to moderation, a moderator approves
it; an FFB member starts the response from the hearing page and writes general remarks in the page
editor; a colleague (FFB's lead) comments on them with Wagtail's editor comments; the member adds
an amendment to section 2 and asks URB to co-sign; URB's lead approves the co-signature; the member
sends the response for approval; FFB's lead approves it (with a comment) from the review queue and a
moderator approves it; the public hearing page shows it with the amendment as a diff; once the
deadline has passed the owner concludes with a disposition for the amendment, and the public page
shows what happened to the input. Every step is then found in the response's history.

The deadline passing is the only thing not done through the UI: the clock is moved a month on.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.hearings.models import PublishedPart
from tests.browser.journeys import log_in
from tests.helpers import demo_page, demo_user

HEARING = "Høring – tilgjengelige møter i brukerutvalg"
RESPONSE = f"Høringssvar: {HEARING}"
FFB = "Fellesforbundet for brukerorganisasjoner"
URB = "Ungdomsrådet for brukermedvirkning"
SECTIONS = [
    ("1", "Møtesteder", "Møtene holdes i lokaler med trinnfri adkomst."),
    ("2", "Sakspapirer", "Sakspapirer sendes ut en uke før møtet."),
]
REMARKS = "FFB støtter kravene, men de må gjelde alle møter, også de digitale."
EDITOR_COMMENT = "Kan vi nevne teleslynge og tolk her?"
JUSTIFICATION = "En uke er for kort tid for mange representanter."
REPLACEMENT = "Sakspapirer sendes ut to uker før møtet, i et format som fungerer med skjermleser."
LEAD_COMMENT = "Godt svar. Godkjent for FFB."
OUTCOME = "Direktoratet innfører kravene fra 2027, med sakspapirer to uker før møtet."
REASON = "Fristen for sakspapirer blir to uker."

# The admin is slow to load on a small machine; wait generously for what a person would see.
TIMEOUT_MS = 40_000


@pytest.fixture(autouse=True)
def _patient_assertions():
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def _person(new_tab, username: str, label: str = "") -> Page:
    tab = new_tab(label or username, timeout_ms=TIMEOUT_MS)
    log_in(tab, username)
    return tab


def _open_hearing(tab: Page) -> None:
    """From the public list of hearings, as anyone finds it."""
    tab.goto(demo_page("horinger").url)
    tab.get_by_role("link", name=HEARING, exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(HEARING)


def _open_review_queue(tab: Page) -> None:
    """The admin menu's link to everything waiting for this person."""
    tab.goto("/admin/")
    tab.get_by_role("link", name="Venter på godkjenning").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Venter på godkjenning")


def _footer_action(tab: Page, name: str) -> None:
    """A button in the page editor's "more actions" menu."""
    tab.locator("footer [data-w-dropdown-target='toggle']").last.click()
    tab.locator("footer").get_by_role("button", name=name, exact=True).click()


def _save_draft(tab: Page) -> None:
    tab.locator("footer").get_by_role("button", name="Lagre kladd").click()
    expect(tab.locator(".messages")).to_contain_text("er oppdatert")


def _review(tab: Page, title: str, *, shows: list[str], comment: str = "") -> None:
    """From the queue: read the comparison, then approve in the page editor."""
    _open_review_queue(tab)
    tab.get_by_role("link", name=f"Sammenlign «{title}» med den publiserte versjonen").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(f"Endringer i «{title}»")
    for text in shows:
        expect(tab.locator(".workflow-compare")).to_contain_text(text)
    tab.get_by_role("link", name="Godkjenn eller avvis i redigeringsverktøyet").click()
    expect(tab.locator("#id_title")).to_have_value(title)
    if comment:
        _footer_action(tab, "Godkjenn med kommentar")
        dialog = tab.get_by_role("dialog")
        dialog.get_by_label("Kommentar").fill(comment)
        dialog.get_by_role("button", name="Godkjenn med kommentar").click()
    else:
        _footer_action(tab, "Godkjenn")
    expect(tab.locator(".messages")).to_contain_text(title)


# --- the steps ------------------------------------------------------------------------------------


def owner_writes_the_hearing_and_sends_it_to_moderation(owner: Page, deadline: datetime.datetime) -> None:
    owner.goto(f"/admin/pages/{demo_page('horinger').pk}/")  # the admin's page explorer at Høringer
    owner.get_by_role("link", name="Legg til underside").click()
    expect(owner.locator("#id_title")).to_be_visible()
    owner.locator("#id_title").fill(HEARING)
    owner.locator("#id_summary").fill("Forslag til krav om tilgjengelighet for møter i brukerutvalgene.")
    owner.locator("#id_owner_unit").fill("Avdeling for brukerdialog")
    owner.locator("#id_deadline").fill(timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"))
    owner.locator("#id_summary").click()  # closes the date picker
    for index, (number, heading, text) in enumerate(SECTIONS):
        owner.locator("#id_sections-ADD").click()
        owner.locator(f"#id_sections-{index}-number").fill(number)
        owner.locator(f"#id_sections-{index}-heading").fill(heading)
        owner.locator(f"#id_sections-{index}-text").fill(text)
    owner.locator("footer [data-w-dropdown-target='toggle']").last.click()
    owner.locator("footer button[name=action-submit]").click()
    expect(owner.locator(".messages")).to_contain_text("sendt til godkjenning")


def member_starts_the_response(member: Page) -> None:
    _open_hearing(member)
    expect(member.locator(".badge--open")).to_be_visible()
    member.get_by_role("button", name=f"Start et svar for {FFB}").click()
    expect(member.get_by_role("heading", level=1)).to_have_text(RESPONSE)
    expect(member.locator(".messages")).to_contain_text("Et utkast til svar er opprettet")


def open_the_draft(tab: Page) -> None:
    _open_hearing(tab)
    tab.get_by_role("link", name=f"Åpne utkastet til svar fra {FFB}").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(RESPONSE)


def open_the_editor(tab: Page) -> None:
    open_the_draft(tab)
    tab.get_by_role("link", name=re.compile("^Rediger utkastet")).click()
    expect(tab.locator("#id_title")).to_have_value(RESPONSE)


def member_writes_general_remarks(member: Page) -> None:
    member.get_by_role("link", name=re.compile("^Rediger utkastet")).click()
    remarks = member.locator("[data-contentpath=general_remarks] [contenteditable=true]")
    remarks.click()
    member.keyboard.type(REMARKS)
    # Draftail copies the text into the form a moment after typing; a person never clicks that fast.
    expect(member.locator("input[name=general_remarks]")).to_have_value(re.compile("digitale"))
    _save_draft(member)


def colleague_comments_in_the_editor(lead: Page) -> None:
    open_the_editor(lead)
    lead.get_by_role("button", name="Toggle comments").click()
    remarks = lead.locator("[data-contentpath=general_remarks] [contenteditable=true]")
    expect(remarks).to_contain_text(REMARKS)
    remarks.click()
    lead.keyboard.press("End")
    lead.keyboard.press("Shift+Home")
    lead.locator("[data-contentpath=general_remarks] button[name=comment]").click()
    lead.locator("textarea.comment__input").fill(EDITOR_COMMENT)
    lead.locator("button.comment__button--primary").click()
    _save_draft(lead)


def member_sees_the_comment_and_adds_an_amendment(member: Page) -> None:
    open_the_editor(member)
    member.get_by_role("button", name="Toggle comments").click()
    expect(member.get_by_text(EDITOR_COMMENT)).to_be_visible()
    member.get_by_role("button", name="Legg til del").click()
    member.locator("#id_parts-0-section_number").fill("2")
    member.locator("#id_parts-0-kind").select_option("amendment")
    member.locator("#id_parts-0-comment").fill(JUSTIFICATION)
    member.locator("#id_parts-0-replacement").fill(REPLACEMENT)
    _save_draft(member)


def member_sees_the_diff_and_asks_urb_to_co_sign(member: Page) -> None:
    open_the_draft(member)
    draft = member.locator(".response-draft")
    expect(draft.locator(".response-part--amendment")).to_contain_text("Endringsforslag til punkt 2 Sakspapirer")
    expect(draft.locator(".amendment-diff del").first).to_contain_text("en")
    expect(draft.locator(".amendment-diff ins").last).to_contain_text("skjermleser")
    member.get_by_label("Organisasjon som skal spørres").select_option(label=URB)
    member.get_by_role("button", name="Be om medsignering").click()
    expect(member.locator("#medsignering")).to_contain_text(f"{URB}: etterspurt")


def urb_lead_co_signs(urb: Page) -> None:
    _open_hearing(urb)
    urb.get_by_role("link", name=f"Et svar venter på medsignering fra {URB}").click()
    expect(urb.locator("main")).to_contain_text(JUSTIFICATION)
    expect(urb.locator(".amendment-diff ins").last).to_contain_text("skjermleser")
    urb.get_by_role("button", name="Medsigner").click()
    expect(urb.locator(".messages")).to_contain_text("Avgjørelsen din er registrert")


def member_sends_for_approval(member: Page) -> None:
    open_the_draft(member)
    expect(member.locator("#medsignering")).to_contain_text(f"{URB}: godkjent")
    member.get_by_role("button", name="Send til godkjenning").click()
    expect(member.locator(".messages")).to_contain_text("sendt til godkjenning")
    expect(member.locator(".workflow-history")).to_contain_text("Sendt til godkjenning")


def reader_sees_the_published_response(reader: Page) -> None:
    _open_hearing(reader)
    response = reader.locator("article.response", has=reader.get_by_role("heading", name=FFB))
    expect(response).to_contain_text(f"Medsignert av: {URB}")
    expect(response).to_contain_text(REMARKS)
    expect(response).to_contain_text(JUSTIFICATION)
    expect(response.locator(".amendment-diff")).to_contain_text("3 ord fjernet, 10 ord lagt til")
    expect(response.locator(".amendment-diff ins").last).to_contain_text("i et format som fungerer med skjermleser")
    expect(response.locator(".amendment-diff del").last).to_contain_text("møtet.")


def owner_concludes(owner: Page, adopted: str) -> None:
    _open_hearing(owner)
    expect(owner.locator(".badge--closed")).to_be_visible()
    owner.get_by_role("link", name="Alle svar, punkt for punkt (høringseier)").click()
    owner.get_by_role("link", name="Publiser utfallet").click()
    owner.get_by_label("Hva etaten besluttet").fill(OUTCOME)
    row = owner.locator("fieldset.outcome-row", has_text=f"{FFB} – punkt 2")
    row.get_by_label("Avgjørelse").select_option(label=adopted)
    row.get_by_label("Begrunnelse").fill(REASON)
    owner.get_by_role("button", name="Publiser utfallet").click()
    expect(owner.locator(".messages")).to_contain_text("Utfallet er publisert")


def reader_sees_what_happened_to_the_input(reader: Page, adopted: str) -> None:
    _open_hearing(reader)
    expect(reader.locator(".badge--concluded")).to_be_visible()
    outcome = reader.locator("#utfall")
    expect(outcome.get_by_role("heading", level=2)).to_have_text("Hva som skjedde med innspillene")
    expect(outcome).to_contain_text(OUTCOME)
    response = reader.locator("article.response", has=reader.get_by_role("heading", name=FFB))
    expect(response.locator(".disposition")).to_have_text(f"Utfall: {adopted.capitalize()} – {REASON}")


def every_step_is_in_the_history(member: Page, lead: Page) -> None:
    names = {username: demo_user(username).get_full_name() for username in ("org-medlem", "org-leder", "moderator")}
    open_the_draft(member)
    history = member.locator(".workflow-history__entry")
    expect(history.filter(has_text="Sendt til godkjenning")).to_contain_text(names["org-medlem"])
    approved_by_lead = history.filter(has_text="Godkjent (Godkjenning i organisasjonen)")
    expect(approved_by_lead).to_have_count(1)  # one approval moved it on: no loop back to the lead
    expect(approved_by_lead).to_contain_text(names["org-leder"])
    expect(approved_by_lead).to_contain_text(LEAD_COMMENT)
    expect(history.filter(has_text="Godkjent (Moderering)")).to_contain_text(names["moderator"])
    expect(history.last).to_contain_text(f"Publisert av {names['moderator']}")

    # The page history in the admin has the rest: the drafts, the editor comment, the co-signature.
    open_the_editor(lead)
    lead.locator("a[href$='/history/']").first.click()
    log = lead.locator("main")
    expect(log).to_contain_text(EDITOR_COMMENT)
    expect(log).to_contain_text("Medsignering etterspurt")
    expect(log).to_contain_text("Medsignering avgjort")
    expect(log).to_contain_text("Approved at 'Moderering'")


# --- the journey ----------------------------------------------------------------------------------


def test_a_response_goes_from_draft_to_published_and_concluded_through_the_ui(new_tab, monkeypatch):
    adopted = str(PublishedPart.Disposition.ADOPTED.label)
    deadline = (timezone.now() + datetime.timedelta(days=30)).replace(second=0, microsecond=0)

    owner = _person(new_tab, "horingseier")
    owner_writes_the_hearing_and_sends_it_to_moderation(owner, deadline)
    moderator = _person(new_tab, "moderator")
    _review(moderator, HEARING, shows=["Lagt til", SECTIONS[1][2]])

    member = _person(new_tab, "org-medlem")
    member_starts_the_response(member)
    member_writes_general_remarks(member)
    lead = _person(new_tab, "org-leder")
    colleague_comments_in_the_editor(lead)
    member_sees_the_comment_and_adds_an_amendment(member)
    member_sees_the_diff_and_asks_urb_to_co_sign(member)
    urb_lead_co_signs(_person(new_tab, "urb-leder"))
    member_sends_for_approval(member)

    _review(lead, RESPONSE, shows=[REMARKS, REPLACEMENT], comment=LEAD_COMMENT)
    _review(moderator, RESPONSE, shows=[REPLACEMENT])
    reader = new_tab("reader", timeout_ms=TIMEOUT_MS)
    reader_sees_the_published_response(reader)

    # A month later the deadline has passed (sessions from before have expired by then).
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=31))
    owner_concludes(_person(new_tab, "horingseier", "horingseier a month later"), adopted)
    # A new reader: public pages may be kept by the browser for a minute (Cache-Control), and a
    # month has passed for the portal but not for the browser's cache.
    reader_sees_what_happened_to_the_input(new_tab("reader a month later", timeout_ms=TIMEOUT_MS), adopted)

    every_step_is_in_the_history(_person(new_tab, "org-medlem", "org-medlem at the end"),
                                 _person(new_tab, "org-leder", "org-leder at the end"))
