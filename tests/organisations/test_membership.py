"""Leads manage their organisation's members on the public site: invite (by e-mail; the person
accepts), change role, remove. Bad input gets a clear, translated error and changes nothing; people who are
not leads are refused and change nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from portal.access.models import Invitation
from portal.organisations import selectors
from portal.organisations.models import OrganisationMembership
from tests.helpers import demo_page, demo_user, make_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _invitation_mail_at_once(monkeypatch):
    """Invitation e-mails are sent after the transaction commits; a test's transaction never does."""
    from portal.access import invitations as invitation_service

    monkeypatch.setattr(invitation_service, "_on_commit", lambda callback: callback())

FFB = "fellesforbundet-for-brukerorganisasjoner"
URB = "ungdomsradet-for-brukermedvirkning"


def user_with_email(username: str, email: str):
    user = make_user(username)
    user.email = email
    user.save(update_fields=["email"])
    return user


def invitation_link(number: int = -1) -> str:
    """The path of the accept link in an invitation e-mail (the newest by default)."""
    return re.search(r"https?://[^/\s]+(/\S*invitasjon/\S+/)", mail.outbox[number].body).group(1)


def members_url(language: str = "nb") -> str:
    return demo_page(FFB, language).members_url


def roles() -> dict[str, str]:
    """Everyone in FFB and their role: the state a refused request must leave untouched."""
    return {m.user.username: m.role for m in selectors.memberships(organisation=demo_page(FFB))}


def membership(username: str) -> OrganisationMembership:
    return selectors.membership_of(user=demo_user(username), organisation=demo_page(FFB))


def test_lead_invites_and_the_person_reaches_the_space_only_after_accepting(login, client):
    newcomer = user_with_email("ny-i-ffb", "ny.i.ffb@example.org")
    space_url = selectors.space_for(organisation=demo_page(FFB)).url

    lead = login("org-leder")
    response = lead.post(members_url(), {"action": "invite", "invite-email": "Ny.I.FFB@example.org ",
                                         "invite-role": "member"})
    assert response.status_code == 302
    assert "ny-i-ffb" not in roles()
    client.force_login(newcomer)
    assert client.get(space_url).status_code == 403

    link = invitation_link()
    assert client.post(link).status_code == 302
    assert roles()["ny-i-ffb"] == "member"
    response = client.get(space_url)
    assert response.status_code == 200
    assert "Utkast: innspill til strategi for brukermedvirkning" in text(response)


def test_the_offered_role_is_the_role_given_on_acceptance(login, client):
    newcomer = user_with_email("ny-leder", "ny.leder@example.org")
    login("org-leder").post(members_url(), {"action": "invite", "invite-email": "ny.leder@example.org",
                                            "invite-role": "lead"})
    client.force_login(newcomer)
    client.post(invitation_link())
    assert roles()["ny-leder"] == "lead"


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("finnes-ikke", "member", "Oppgi en gyldig epost-adresse."),
        ("", "member", "Dette feltet er påkrevet."),
        ("org-medlem@example.no", "member", "Et nåværende medlem har allerede adressen org-medlem@example.no."),
        ("ny@example.org", "sjef", "Velg et gyldig valg."),
        ("x" * 300 + "@example.org", "member", "(den har nå 312)"),
    ],
)
def test_bad_invitation_input_gets_a_translated_error_and_sends_nothing(login, email, role, message):
    before = roles()
    response = login("org-leder").post(members_url(), {"action": "invite", "invite-email": email,
                                                       "invite-role": role})
    assert response.status_code == 400
    assert message in text(response)
    assert roles() == before
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_error_is_tied_to_the_field(login):
    response = login("org-leder").post(members_url(), {"action": "invite", "invite-email": "finnes-ikke"})
    body = text(response)
    assert 'aria-describedby="id_invite-email_helptext id_invite-email_error"' in body
    assert 'id="id_invite-email_error"' in body
    assert 'aria-invalid="true"' in body


def test_errors_are_in_the_readers_language(login):
    response = login("org-leder").post(members_url("nn"), {"action": "invite", "invite-email": "finnes-ikke"})
    assert response.status_code == 400
    assert "Oppgje ei gyldig e-postadresse." in text(response)


def test_lead_changes_a_role_and_the_leads_group_follows(login):
    groups = selectors_groups()
    member = membership("org-medlem")
    response = login("org-leder").post(members_url(), {"action": "change_role", "membership": member.pk,
                                                         "role": "lead"})
    assert response.status_code == 302
    assert roles()["org-medlem"] == "lead"
    assert groups.leads.user_set.filter(username="org-medlem").exists()


def selectors_groups():
    from portal.organisations.models import OrganisationGroups

    return OrganisationGroups.objects.get(organisation_key=demo_page(FFB).translation_key)


def test_the_last_lead_cannot_be_removed_or_demoted(login):
    lead = membership("org-leder")
    client = login("org-leder")
    before = roles()
    for data in ({"action": "remove", "membership": lead.pk},
                 {"action": "change_role", "membership": lead.pk, "role": "member"}):
        response = client.post(members_url(), data)
        assert response.status_code == 400
        assert "En organisasjon må alltid ha minst én leder." in text(response)
        assert roles() == before


def test_a_lead_can_step_down_once_there_is_another_lead(login):
    client = login("org-leder")
    client.post(members_url(), {"action": "change_role", "membership": membership("org-medlem").pk, "role": "lead"})
    response = client.post(members_url(), {"action": "change_role", "membership": membership("org-leder").pk,
                                           "role": "member"})
    assert response.status_code == 302
    assert roles() == {"org-leder": "member", "org-medlem": "lead"}


def test_removed_member_loses_the_space_at_once(login, client):
    space_url = selectors.space_for(organisation=demo_page(FFB)).url
    member = login("org-medlem")
    assert member.get(space_url).status_code == 200
    removed = membership("org-medlem")

    lead = login("org-leder")
    response = lead.post(members_url(), {"action": "remove", "membership": removed.pk})
    assert response.status_code == 302
    assert "org-medlem" not in roles()
    assert not selectors_groups().members.user_set.filter(username="org-medlem").exists()

    client.force_login(demo_user("org-medlem"))
    assert client.get(space_url).status_code == 403
    assert client.get(members_url()).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "remove", "membership": "abc"}, "Oppgi et heltall."),
        ({"action": "remove"}, "Dette feltet er påkrevet."),
        ({"action": "remove", "membership": "999999"}, "Medlemskapet finnes ikke lenger."),
        ({"action": "change_role", "membership": "1", "role": "sjef"}, "Velg et gyldig valg."),
        ({"action": "slett-alle"}, "Ukjent handling."),
    ],
)
def test_malformed_management_requests_change_nothing(login, data, message):
    before = roles()
    response = login("org-leder").post(members_url(), data)
    assert response.status_code == 400
    assert message in text(response)
    assert roles() == before


def test_a_membership_of_another_organisation_cannot_be_touched_from_this_page(login):
    urb_lead = selectors.membership_of(user=demo_user("urb-leder"), organisation=demo_page(URB))
    response = login("org-leder").post(members_url(), {"action": "remove", "membership": urb_lead.pk})
    assert response.status_code == 400
    assert OrganisationMembership.objects.filter(pk=urb_lead.pk).exists()


@pytest.mark.parametrize("username", ["org-medlem", "urb-leder", "utvalgsleder", "moderator"])
@pytest.mark.parametrize(
    "data",
    [
        {"action": "invite", "invite-email": "utvalgsmedlem@example.no", "invite-role": "lead"},
        {"action": "remove", "membership": "LEAD"},
        {"action": "change_role", "membership": "LEAD", "role": "member"},
    ],
)
def test_people_who_are_not_leads_get_403_and_nothing_changes(login, username, data):
    data = {key: (membership("org-leder").pk if value == "LEAD" else value) for key, value in data.items()}
    before = roles()
    response = login(username).post(members_url(), data)
    assert response.status_code == 403
    assert roles() == before
    assert not Invitation.objects.exists()


def test_anonymous_post_is_sent_to_login_and_changes_nothing(client):
    before = roles()
    response = client.post(members_url(), {"action": "remove", "membership": membership("org-medlem").pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert roles() == before


def test_members_see_the_list_without_managing_it(login):
    response = login("org-medlem").get(members_url())
    assert response.status_code == 200
    body = text(response)
    assert "Liv Lunde" in body and "Ola Olsen" in body
    assert 'name="action" value="remove"' not in body


def test_leads_manage_from_every_language_version(login, client):
    newcomer = user_with_email("engelsk-ny", "engelsk.ny@example.org")
    response = login("org-leder").post(
        members_url("en"), {"action": "invite", "invite-email": "engelsk.ny@example.org", "invite-role": "member"}
    )
    assert response.status_code == 302
    client.force_login(newcomer)
    client.post(invitation_link())
    assert roles()["engelsk-ny"] == "member"


def test_adding_the_same_person_twice_at_once_gives_the_clear_error(monkeypatch):
    """Two leads submit the same person at the same moment: both pass the "already a member?" check;
    the second insert hits the unique constraint and gets the same clear error, nothing else."""
    from portal.organisations import actions

    monkeypatch.setattr(actions.selectors, "membership_of", lambda **kwargs: None)
    before = roles()
    with pytest.raises(actions.MembershipError) as error:
        actions.membership_add(organisation=demo_page(FFB), user=demo_user("org-medlem"), actor=None)
    assert error.value.code == "already_member"
    assert roles() == before
