"""The pages of two-step sign-in and of invitations pass axe-core, and the moderator's sign-in with
a code works in a real browser (issue #17, findings 1 and 11)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.journeys import enter_second_factor, log_in
from tests.helpers import demo_page

FFB = "fellesforbundet-for-brukerorganisasjoner"


def test_a_moderator_signs_in_with_a_code_and_reaches_the_admin(page):
    page.goto("/accounts/login/?next=/admin/")
    page.locator("#id_username").fill("moderator")
    page.locator("#id_password").fill("demo-passord-2026")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Totrinnsinnlogging")
    assert_accessible(page)
    page.locator("#id_code").fill("000000")
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden er ikke riktig.")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # the throttle allows the next try after a second
    enter_second_factor(page, "moderator")
    assert "/admin/" in page.url


def test_the_enrolment_and_account_pages_are_accessible(page):
    log_in(page, "org-medlem")
    page.goto("/accounts/two-step/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Totrinnsinnlogging")
    assert_accessible(page)
    page.get_by_role("link", name="Slå på totrinnsinnlogging").click()
    expect(page.get_by_role("img", name="QR-kode med nøkkelen til autentiseringsappen din")).to_be_visible()
    assert_accessible(page)


def test_the_member_page_with_an_invitation_and_the_invitation_page_are_accessible(page, monkeypatch):
    from portal.access import invitations

    # Invitation e-mails go out after commit; the test's transaction never commits.
    monkeypatch.setattr(invitations, "_on_commit", lambda callback: callback())
    log_in(page, "org-leder")
    page.goto(demo_page(FFB).members_url)
    page.get_by_label("E-postadresse").fill("ny.person@example.org")
    page.get_by_role("button", name="Send invitasjon").click()
    expect(page.get_by_role("status")).to_contain_text("Invitasjon sendt til ny.person@example.org.")
    expect(page.get_by_role("table", name="Invitasjoner som venter på svar")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-postadresse").fill("ikke en adresse")
    page.get_by_role("button", name="Send invitasjon").click()
    assert_accessible(page)

    import re

    from django.core import mail

    page.goto(re.search(r"https?://[^/\s]+(/\S*invitasjon/\S+/)", mail.outbox[-1].body).group(1))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Invitasjon til")
    assert_accessible(page)


def test_the_council_member_page_is_accessible_to_the_secretary_who_manages_it(page):
    log_in(page, "utvalgssekretaer")
    response = page.goto(demo_page("brukerutvalget-i-bergen").space_url("members"))
    assert response.status == 200
    expect(page.get_by_role("button", name="Send invitasjon")).to_be_visible()
    assert_accessible(page)
