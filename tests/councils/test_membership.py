"""The secretary manages membership from the public site: an invited member can post once they
accept, ending a
period removes access at once, roles change; the council's group follows current memberships."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from portal.councils import actions, selectors
from portal.councils.models import CouncilMembership, Thread
from tests.councils.helpers import BERGEN, council, pdf_file, seat
from tests.helpers import demo_page, demo_user, make_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _invitation_mail_at_once(monkeypatch):
    """Invitation e-mails are sent after the transaction commits; a test's transaction never does."""
    from portal.access import invitations as invitation_service

    monkeypatch.setattr(invitation_service, "_on_commit", lambda callback: callback())

MEMBERS = f"/brukerutvalg/{BERGEN}/rom/medlemmer/"
SPACE = f"/brukerutvalg/{BERGEN}/rom/"


def _group_usernames():
    return set(selectors.space_of(council=council()).members.user_set.values_list("username", flat=True))


def _invitation_link() -> str:
    return re.search(r"https?://[^/\s]+(/\S*invitasjon/\S+/)", mail.outbox[-1].body).group(1)


def test_secretary_invites_a_member_who_can_post_once_they_accept(client, login):
    newcomer = make_user("ny-representant")
    organisation = demo_page("fellesforbundet-for-brukerorganisasjoner")
    response = login("utvalgssekretaer").post(
        MEMBERS, {"action": "invite", "invite-email": newcomer.email, "invite-role": "member",
                  "invite-organisation": organisation.pk}
    )
    assert response.status_code == 302
    assert not CouncilMembership.objects.filter(user=newcomer).exists()

    client.force_login(newcomer)
    assert client.get(SPACE).status_code == 403
    assert client.post(_invitation_link()).status_code == 302
    membership = CouncilMembership.objects.get(user=newcomer)
    assert membership.is_current() and membership.role == "member"
    assert membership.organisation_id == organisation.pk
    assert "ny-representant" in _group_usernames()

    assert client.get(SPACE).status_code == 200
    response = client.post(SPACE, {"action": "new_thread", "thread-title": "Hilsen fra ny representant",
                                   "thread-body": "Jeg gleder meg til arbeidet."})
    assert response.status_code == 302
    assert Thread.objects.filter(title="Hilsen fra ny representant").exists()


def test_inviting_an_unknown_address_answers_as_for_a_known_one(login):
    make_user("kjent-person")
    client = login("utvalgssekretaer")
    answers = []
    for email in ("kjent-person@example.org", "ukjent-person@example.org"):
        response = client.post(MEMBERS, {"action": "invite", "invite-email": email, "invite-role": "member"})
        page = text(client.get(response["Location"]))
        messages = re.search(r'<ul class="messages".*?</ul>', page, re.S).group(0)
        answers.append((response.status_code, response["Location"], messages.replace(email, "ADRESSE")))
    assert answers[0] == answers[1]
    assert "Invitasjon sendt til ADRESSE." in answers[0][2]
    assert [message.to for message in mail.outbox] == [["kjent-person@example.org"], ["ukjent-person@example.org"]]


def test_inviting_someone_who_already_has_a_seat_is_refused(login):
    before = CouncilMembership.objects.count()
    response = login("utvalgssekretaer").post(
        MEMBERS, {"action": "invite", "invite-email": demo_user("utvalgsmedlem").email, "invite-role": "member"})
    assert response.status_code == 400
    assert "Et nåværende medlem har allerede adressen" in text(response)
    assert CouncilMembership.objects.count() == before


def test_ending_a_period_removes_access_at_once(client, login):
    member = seat(BERGEN, "avgaende-medlem")
    thread = actions.thread_start(council=council(), author=member, title="Min siste sak", body="Tekst",
                                  files=[pdf_file()])
    document_url = thread.posts.first().attachments.first().document.url
    client.force_login(member)
    assert client.get(SPACE).status_code == 200
    assert client.get(document_url).status_code == 200

    membership = CouncilMembership.objects.get(user=member)
    response = login("utvalgssekretaer").post(MEMBERS, {"action": "end", "membership": membership.pk})
    assert response.status_code == 302
    assert "avgaende-medlem" not in _group_usernames()

    client.force_login(member)
    assert client.get(SPACE).status_code == 403
    assert client.get(thread.url_in(council())).status_code == 403
    assert client.get(document_url).status_code == 403
    assert client.get(MEMBERS).status_code == 403
    response = client.post(thread.url_in(council()), {"action": "reply", "reply-body": "Etter slutt"})
    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_an_ended_period_stays_listed_as_past(client):
    member = seat(BERGEN, "tidligere-representant", first_name="Mari", last_name="Myklebust")
    membership = CouncilMembership.objects.get(user=member)
    # A seat that began earlier: ending it keeps it as a past seat with yesterday as its last day.
    membership.start = timezone.localdate() - datetime.timedelta(days=100)
    membership.save()
    ended = actions.membership_end(membership=membership, actor=demo_user("utvalgssekretaer"))
    assert ended.end == timezone.localdate() - datetime.timedelta(days=1)
    body = text(client.get(f"/brukerutvalg/{BERGEN}/"))
    assert "Mari Myklebust" in body.split('id="past-members-heading"')[1]


def test_a_period_that_ended_by_date_refuses_access_even_before_the_group_sync(client):
    member = seat(BERGEN, "utlopt-medlem")
    # Set the end date in the past without any action (as if the date simply passed).
    CouncilMembership.objects.filter(user=member).update(
        start=timezone.localdate() - datetime.timedelta(days=30), end=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "utlopt-medlem" in _group_usernames()  # the group is stale until the daily sync
    client.force_login(member)
    assert client.get(SPACE).status_code == 403
    document = actions.document_upload(council=council(), actor=demo_user("utvalgssekretaer"), title="Plan",
                                       upload=pdf_file())
    assert client.get(document.url).status_code == 403
    actions.sync_all_groups()
    assert "utlopt-medlem" not in _group_usernames()


def test_secretary_changes_a_role(login):
    member = seat(BERGEN, "blir-nestleder")
    membership = CouncilMembership.objects.get(user=member)
    response = login("utvalgssekretaer").post(MEMBERS, {"action": "change_role", "membership": membership.pk,
                                                        "role": "deputy_chair"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "deputy_chair"


def test_an_invalid_role_is_refused(login):
    membership = CouncilMembership.objects.get(user=demo_user("utvalgsmedlem"))
    response = login("utvalgssekretaer").post(MEMBERS, {"action": "change_role", "membership": membership.pk,
                                                        "role": "keiser"})
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == "member"


@pytest.mark.parametrize("username", ["utvalgsmedlem", "utvalgsleder"])
def test_members_who_are_not_the_secretary_cannot_manage_members(login, username):
    target = CouncilMembership.objects.get(user=demo_user("utvalgssekretaer"))
    client = login(username)
    assert client.get(MEMBERS).status_code == 200  # they may read the list
    before = CouncilMembership.objects.count()
    assert client.post(MEMBERS, {"action": "invite", "invite-email": "org-leder@example.no",
                                 "invite-role": "member"}).status_code == 403
    assert client.post(MEMBERS, {"action": "end", "membership": target.pk}).status_code == 403
    assert CouncilMembership.objects.count() == before
    target.refresh_from_db()
    assert target.end is None


def test_a_membership_of_another_council_cannot_be_ended_from_this_one(login):
    other = CouncilMembership.objects.get(user=demo_user("fylkesutvalgsmedlem"))
    response = login("utvalgssekretaer").post(MEMBERS, {"action": "end", "membership": other.pk})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.end is None


def test_members_see_contact_details_outsiders_do_not(client, login):
    email = demo_user("utvalgsleder").email
    assert email in text(login("utvalgsmedlem").get(MEMBERS))
    client.force_login(demo_user("fylkesutvalgsmedlem"))
    response = client.get(MEMBERS)
    assert response.status_code == 403 and email not in text(response)
