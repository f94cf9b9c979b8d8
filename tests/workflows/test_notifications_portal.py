"""Notifications that mean something (issue #15 item 6, issue #17 finding 8): each leads to the
portal page where the action is (never /admin/, e-mails included); a step once decided no longer
"waits"; opening one clears "New"; and one whose object the recipient may no longer see disappears
from their list and is never sent."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.councils.models import CouncilMembership
from portal.meetings import actions as meeting_actions
from portal.organisations import actions as organisation_actions
from portal.organisations.models import OrganisationMembership
from tests.helpers import demo_user, text
from tests.meetings import factories
from tests.workflows.conftest import FFB, submit, task_state
from workflows import actions
from workflows.models import Notification

pytestmark = pytest.mark.django_db


def _mail_to(username: str) -> list:
    address = demo_user(username).email
    return [message for message in mail.outbox if address in message.to]


def test_e_mails_and_the_list_link_to_the_portal_never_the_admin(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    (message,) = _mail_to("org-leder")
    assert "/admin/" not in message.body
    notification = Notification.objects.get(user=demo_user("org-leder"), page=draft)
    assert f"/arbeidsflyt/varsler/{notification.pk}/" in message.body
    client = login("org-leder")
    listing = text(client.get("/arbeidsflyt/varsler/")).split('class="item-list notification-list"')[1]
    assert "/admin/" not in listing.split("</ul>")[0] and f"/arbeidsflyt/varsler/{notification.pk}/" in listing
    # Opening it leads the lead to the portal editor's review page (the comparison and the decision).
    opened = client.get(f"/arbeidsflyt/varsler/{notification.pk}/")
    assert opened.status_code == 302
    assert task_state(draft) is not None
    assert opened["Location"] == f"/arbeidsrom/utkast/{draft.pk}/godkjenning/"
    assert client.get(opened["Location"]).status_code == 200


def test_opening_a_notification_clears_new(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    notification = Notification.objects.get(user=demo_user("org-leder"), page=draft)
    client = login("org-leder")
    assert "Ny" in text(client.get("/arbeidsflyt/varsler/")).split(draft.title)[0].rsplit("<li", 1)[1]
    client.get(f"/arbeidsflyt/varsler/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    item = text(client.get("/arbeidsflyt/varsler/")).split(draft.title)[0].rsplit("<li", 1)[1]
    assert "Ny" not in item


def test_an_approved_response_no_longer_waits(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    waiting = Notification.objects.get(user=demo_user("org-leder"), page=draft, verb="waiting")
    assert not waiting.is_done
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(task_state=task_state(draft), user=demo_user("org-leder"))
    waiting.refresh_from_db()
    assert waiting.is_done and waiting.done_at is not None and waiting.read_at is not None
    # The moderators' own "waiting" notification is open until they decide.
    moderators = Notification.objects.get(user=demo_user("moderator"), page=draft, verb="waiting")
    assert not moderators.is_done
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(task_state=task_state(draft), user=demo_user("moderator"))
    moderators.refresh_from_db()
    assert moderators.is_done


def test_a_notification_is_never_sent_to_someone_who_lost_access_before_it_went_out(
    draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(draft)
        # The lead leaves the organisation in the same transaction, before the commit sends.
        membership = OrganisationMembership.objects.get(user=demo_user("org-leder"), organisation__slug=FFB)
        OrganisationMembership.objects.filter(pk=membership.pk).update(role="member")
        organisation_actions.membership_remove(membership=membership)
    for callback in callbacks:
        callback()
    assert not _mail_to("org-leder")
    assert not Notification.objects.filter(user=demo_user("org-leder"), page=draft).exists()


def test_finding_8_a_past_member_no_longer_sees_a_chairs_return_reason(login, django_capture_on_commit_callbacks):
    """#17 finding 8: the secretary gets the chair's reason for returning the minutes; once their
    seat on the council has ended, the notification is gone from their list, cannot be opened, and
    is not counted in the header."""
    page = factories.meeting(slug="varsel-retur", items=[{"title": "Skilting"}])
    minutes = factories.minutes(page, {"Skilting": ("Drøftet Havhesten", "")}, state="draft")
    secretary, chair = demo_user("utvalgssekretaer"), demo_user("utvalgsleder")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_actions.minutes_submit_for_approval(minutes=minutes, user=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_actions.minutes_return(minutes=minutes, user=chair, reason="Grunn: Tunfiskbanken mangler")
    notice = Notification.objects.get(user=secretary, verb=Notification.Verb.REJECTED)
    assert notice.comment == "Grunn: Tunfiskbanken mangler"
    client = login("utvalgssekretaer")
    assert "Tunfiskbanken" in text(client.get("/arbeidsflyt/varsler/"))
    assert client.get(f"/arbeidsflyt/varsler/{notice.pk}/").status_code == 302

    # The seat ends.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Saved as the secretary's member page or the nightly sync does (a seat that ends by date alone
    # changes the day, which the header's cached count is keyed by too).
    for seat in CouncilMembership.objects.filter(user=secretary, council__translation_key=page.council.translation_key):
        seat.start, seat.end = yesterday - datetime.timedelta(days=400), yesterday
        seat.save()
    client = login("utvalgssekretaer")
    listing = text(client.get("/arbeidsflyt/varsler/"))
    assert "Tunfiskbanken" not in listing and str(minutes) not in listing
    assert "no longer" not in listing and "ikke lenger" not in listing
    assert client.get(f"/arbeidsflyt/varsler/{notice.pk}/").status_code == 404
    header = text(client.get("/")).split('class="site-tools__notifications"')[1].split("</a>")[0]
    assert "uleste" not in header


def test_someone_elses_notification_cannot_be_opened(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    notification = Notification.objects.get(user=demo_user("org-leder"), page=draft)
    assert login("urb-leder").get(f"/arbeidsflyt/varsler/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
