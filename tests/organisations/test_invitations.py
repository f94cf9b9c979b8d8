"""Invitations instead of adding people by username or e-mail (issue #17, finding 11): the lead
gets the same answer whatever exists, the invited person accepts, and only then is a member.
Invitations expire and can be revoked; both are refused with a clear message."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.users.models import UserProfile

from portal.access import invitations
from portal.access.models import Invitation
from portal.organisations import selectors
from tests.helpers import demo_page, demo_user, make_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _invitation_mail_at_once(monkeypatch):
    """Invitation e-mails are sent after the transaction commits; a test's transaction never does."""
    from portal.access import invitations as invitation_service

    monkeypatch.setattr(invitation_service, "_on_commit", lambda callback: callback())

FFB = "fellesforbundet-for-brukerorganisasjoner"


def members_url(language: str = "nb") -> str:
    return demo_page(FFB, language).members_url


def _invite(client, email: str, role: str = "member", language: str = "nb"):
    return client.post(members_url(language), {"action": "invite", "invite-email": email, "invite-role": role})


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*invitasjon/\S+/)", message.body).group(1)


def _is_member(username: str) -> bool:
    return selectors.is_member(user=demo_user(username), organisation=demo_page(FFB))


def _answer(client, response) -> tuple[int, str, str]:
    """What the lead sees: status, where it leads, and the message on the page it leads to."""
    page = text(client.get(response["Location"]))
    return response.status_code, response["Location"], re.search(r'<ul class="messages".*?</ul>', page, re.S).group(0)


def test_unknown_and_known_addresses_get_the_same_answer(login):
    make_user("finnes")  # finnes@example.org has an account; ingen@example.org has none
    lead = login("org-leder")
    known = _answer(lead, _invite(lead, "finnes@example.org"))
    unknown = _answer(lead, _invite(lead, "ingen@example.org"))
    assert known[0] == unknown[0] == 302
    assert known[1] == unknown[1]
    assert known[2].replace("finnes@", "X@") == unknown[2].replace("ingen@", "X@")
    assert "Invitasjon sendt til finnes@example.org." in known[2]
    # Neither the answer nor the pending list names the person behind an address.
    assert "finnes" not in text(lead.get(members_url())).replace("finnes@example.org", "")
    assert [message.to for message in mail.outbox] == [["finnes@example.org"], ["ingen@example.org"]]


def test_the_invitation_email_is_in_the_recipients_language(login):
    person = make_user("nynorsk-brukar")
    profile = UserProfile.get_for_user(person)
    profile.preferred_language = "nn"
    profile.save()
    lead = login("org-leder")
    _invite(lead, person.email)
    _invite(lead, "utan-konto@example.org")
    to_known, to_unknown = mail.outbox
    assert "Opne lenkja, logg inn og godta invitasjonen:" in to_known.body
    assert "/nn/invitasjon/" in _link(to_known)
    # An address without an account gets the inviter's language, and is told to ask for an account.
    assert "Åpne lenken, logg inn og godta invitasjonen:" in to_unknown.body
    assert "be den som inviterte deg" in to_unknown.body


def test_accepting_makes_the_membership_and_uses_the_invitation(login, client):
    person = make_user("ny-person")
    _invite(login("org-leder"), person.email, role="lead")
    link = _link(mail.outbox[0])

    client.logout()
    anonymous = client.get(link)
    assert anonymous.status_code == 200
    assert "Logg inn for å godta" in text(anonymous)
    assert "Har du ikke konto på portalen ennå?" in text(anonymous)

    client.force_login(person)
    page = client.get(link)
    assert page.status_code == 200 and "Godta invitasjonen" in text(page)
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == members_url()
    assert selectors.membership_of(user=person, organisation=demo_page(FFB)).role == "lead"
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED

    again = client.post(link)
    assert again.status_code == 410
    assert "Denne invitasjonen er allerede godtatt." in text(again)


def test_an_expired_invitation_is_refused_with_a_clear_message(login, client):
    person = make_user("for-sent")
    _invite(login("org-leder"), person.email)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(person)
    response = client.post(_link(mail.outbox[0]))
    assert response.status_code == 410
    assert "Invitasjonen har gått ut." in text(response)
    assert not selectors.is_member(user=person, organisation=demo_page(FFB))


def test_a_revoked_invitation_is_refused_with_a_clear_message(login, client):
    person = make_user("angret")
    lead = login("org-leder")
    _invite(lead, person.email)
    invitation = Invitation.objects.get()
    assert person.email in text(lead.get(members_url()))
    response = lead.post(members_url(), {"action": "revoke", "invitation": invitation.pk})
    assert response.status_code == 302
    page = text(lead.get(members_url()))
    assert "Invitasjonen til angret@example.org er trukket tilbake." in page
    assert "Invitasjoner som venter på svar" not in page

    client.force_login(person)
    refused = client.post(_link(mail.outbox[0]))
    assert refused.status_code == 410
    assert "Invitasjonen er trukket tilbake." in text(refused)
    assert not selectors.is_member(user=person, organisation=demo_page(FFB))


def test_revoking_is_one_call():
    invitation = invitations.invitation_send(kind="organisation", target=demo_page(FFB), email="en@example.org",
                                             role="member", actor=demo_user("org-leder"), language="nb")
    invitations.invitation_revoke(invitation=invitation, actor=None)
    assert invitations.refusal(Invitation.objects.get()).code == "revoked"


def test_an_invitation_for_someone_who_became_a_member_meanwhile(login, client):
    person = make_user("allerede")
    _invite(login("org-leder"), person.email)
    invitations.kind_of("organisation").accept(Invitation.objects.get(), person)  # added by another way
    client.force_login(person)
    response = client.post(_link(mail.outbox[0]), follow=True)
    assert response.status_code == 200
    assert "Du var allerede medlem av" in text(response)
    assert selectors.memberships(organisation=demo_page(FFB)).filter(user=person).count() == 1


def test_only_the_invited_address_can_accept(login, client):
    make_user("invitert")
    _invite(login("org-leder"), "invitert@example.org")
    client.force_login(make_user("noen-andre"))
    response = client.post(_link(mail.outbox[0]))
    assert response.status_code == 403
    assert "Denne invitasjonen ble sendt til en annen e-postadresse." in text(response)
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_a_second_invitation_to_a_waiting_address_is_refused(login):
    lead = login("org-leder")
    _invite(lead, "vent@example.org")
    response = _invite(lead, "VENT@example.org")
    assert response.status_code == 400
    assert "venter allerede på svar" in text(response)
    assert Invitation.objects.count() == 1


def test_a_forged_link_is_not_found(client):
    assert client.get("/invitasjon/forfalsket/").status_code == 404


def test_pending_invitations_are_shown_only_to_those_who_manage_the_members(login):
    lead = login("org-leder")
    _invite(lead, "hemmelig-adresse@example.org")
    lead.get(members_url())  # the lead reads the "sent" message
    page = text(login("org-medlem").get(members_url()))
    assert "hemmelig-adresse@example.org" not in page
    assert "Invitasjoner som venter på svar" not in page
    # A member cannot revoke it either.
    response = login("org-medlem").post(members_url(), {"action": "revoke",
                                                        "invitation": Invitation.objects.get().pk})
    assert response.status_code == 403
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_the_invitation_page_is_never_cached(client, login):
    _invite(login("org-leder"), "cache@example.org")
    client.logout()
    response = client.get(_link(mail.outbox[0]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- the right to accept is a per-object grant (django-guardian) that ends with the invitation ----


def _holds_grant(user, invitation) -> bool:
    from portal.access import grants

    return grants.has_grant(user, invitations.ACCEPT, Invitation.objects.get(pk=invitation.pk))


def test_the_right_to_accept_is_a_grant_held_only_by_the_invited_account(login):
    person, other = make_user("fikk-rett"), make_user("fikk-ikke")
    _invite(login("org-leder"), person.email)
    invitation = Invitation.objects.get()
    assert _holds_grant(person, invitation)
    assert not _holds_grant(other, invitation)
    assert not _holds_grant(demo_user("org-leder"), invitation)


def test_an_account_that_lost_its_grant_cannot_accept_although_the_address_matches(login, client):
    from portal.access import grants

    person = make_user("mistet-rett")
    _invite(login("org-leder"), person.email)
    grants.revoke_all(invitations.ACCEPT, Invitation.objects.get())
    client.force_login(person)
    response = client.post(_link(mail.outbox[0]))
    assert response.status_code == 403
    assert not selectors.is_member(user=person, organisation=demo_page(FFB))
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_an_account_made_after_the_invitation_gets_the_grant_when_it_opens_the_link(login, client):
    _invite(login("org-leder"), "ny-konto@example.org")
    invitation = Invitation.objects.get()
    person = make_user("ny-konto")  # the operator makes the account after the e-mail went out
    assert not _holds_grant(person, invitation)
    client.force_login(person)
    assert client.get(_link(mail.outbox[0])).status_code == 200
    assert _holds_grant(person, invitation)
    assert client.post(_link(mail.outbox[0])).status_code == 302
    assert selectors.is_member(user=person, organisation=demo_page(FFB))


def test_accepting_ends_the_grant(login, client):
    person = make_user("godtok")
    _invite(login("org-leder"), person.email)
    client.force_login(person)
    client.post(_link(mail.outbox[0]))
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED
    assert not _holds_grant(person, Invitation.objects.get())


def test_declining_ends_the_invitation_and_its_grant(login, client):
    person = make_user("takket-nei")
    lead = login("org-leder")
    _invite(lead, person.email)
    client.force_login(person)
    link = _link(mail.outbox[0])
    assert "Avslå" in text(client.get(link))
    declined = client.post(link, {"answer": "decline"})
    assert declined.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.state == Invitation.State.DECLINED
    assert not _holds_grant(person, invitation)
    again = client.post(link, {"answer": "accept"})
    assert again.status_code == 410
    assert "Invitasjonen er avslått." in text(again)
    assert not selectors.is_member(user=person, organisation=demo_page(FFB))
    client.force_login(demo_user("org-leder"))
    assert person.email not in text(client.get(members_url()))


def test_revoking_ends_the_grant_in_the_same_call(login):
    person = make_user("trukket")
    invitation = invitations.invitation_send(kind="organisation", target=demo_page(FFB), email=person.email,
                                             role="member", actor=demo_user("org-leder"), language="nb")
    assert _holds_grant(person, invitation)
    invitations.invitation_revoke(invitation=invitation, actor=None)
    assert not _holds_grant(person, invitation)
    assert Invitation.objects.get().state == Invitation.State.REVOKED


def test_an_expired_invitation_ends_with_the_expired_state_and_loses_its_grant(login, client):
    person = make_user("utlopt")
    _invite(login("org-leder"), person.email)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(person)
    assert client.get(_link(mail.outbox[0])).status_code == 410
    invitation = Invitation.objects.get()
    assert invitation.state == Invitation.State.EXPIRED
    assert not _holds_grant(person, invitation)
