"""Notifications: to the next approvers when something waits, to the authors on approval or
rejection (with the reason), in each recipient's language, after the commit, never blocking a step
and never carrying private text to someone who may not see the object."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from tests.helpers import demo_user, make_user
from tests.workflows.conftest import org_draft, submit, task_state
from workflows import actions
from workflows.models import Notification

pytestmark = pytest.mark.django_db


def _to(address_user: str) -> list:
    address = demo_user(address_user).email
    return [message for message in mail.outbox if address in message.to]


def test_the_organisations_lead_is_told_when_a_draft_waits_for_them(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {demo_user("org-leder").email}, "only the FFB lead: not the URB lead, not superusers"
    message = _to("org-leder")[0]
    assert draft.title in message.subject
    assert message.extra_headers["Content-Language"] == "nb"
    assert Notification.objects.filter(user=demo_user("org-leder"), verb="waiting", page=draft).exists()


def test_nothing_is_sent_before_the_step_commits(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(draft)
        assert mail.outbox == []
    assert callbacks, "the e-mails wait for the commit"
    assert not Notification.objects.filter(page=draft).exists()


def test_after_the_lead_approves_the_moderators_are_told_and_the_author_hears_in_nynorsk(
    draft, django_capture_on_commit_callbacks
):
    submit(draft)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(task_state=task_state(draft), user=demo_user("org-leder"), comment="Fint.")
    moderator_mail = _to("moderator")
    assert moderator_mail and draft.title in moderator_mail[0].body
    author_mail = _to("org-medlem")
    assert author_mail, "the author hears about the approval"
    assert author_mail[0].extra_headers["Content-Language"] == "nn"
    assert "Fint." in author_mail[0].body
    assert not _to("org-leder"), "the person who acted is not told about their own step"


def test_a_rejection_reaches_the_author_with_the_reason(draft, django_capture_on_commit_callbacks):
    submit(draft)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject(task_state=task_state(draft), user=demo_user("org-leder"), comment="Legg inn tallene.")
    author_mail = _to("org-medlem")
    assert len(author_mail) == 1
    assert "Legg inn tallene." in author_mail[0].body
    stored = Notification.objects.get(user=demo_user("org-medlem"), verb="rejected", page=draft)
    assert stored.comment == "Legg inn tallene."


def test_an_english_speaking_lead_gets_english(django_capture_on_commit_callbacks):
    page = org_draft(organisation="ungdomsradet-for-brukermedvirkning", author="admin")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, "admin")
    (message,) = _to("urb-leder")
    assert message.extra_headers["Content-Language"] == "en"
    assert "Waiting for your approval" in message.subject


def test_a_failing_mail_server_never_blocks_or_undoes_a_step(draft, monkeypatch, django_capture_on_commit_callbacks):
    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    assert task_state(draft) is not None, "the submission stands"
    assert Notification.objects.filter(user=demo_user("org-leder"), page=draft).exists()


def test_someone_who_cannot_see_the_object_gets_nothing(django_capture_on_commit_callbacks):
    """A former collaborator (no longer a member) is still an author, but a notification whose
    object they may not see is neither stored nor sent: not even a hint that something happened."""
    page = org_draft(title="Hemmelig tittel Sjøorm", body="<p>Tekst</p>")
    outsider = make_user("tidligere-skribent")
    page.body = "<p>Endret av en som har sluttet.</p>"
    page.save_revision(user=outsider)
    submit(page)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject(task_state=task_state(page), user=demo_user("org-leder"), comment="Sjøorm-grunnen")
    assert not [m for m in mail.outbox if outsider.email in m.to]
    assert not Notification.objects.filter(user=outsider).exists()
    # A member gets both the title and the reason.
    (member_message,) = _to("org-medlem")
    assert "Sjøorm" in member_message.subject and "Sjøorm-grunnen" in member_message.body


def test_the_notification_list_shows_ones_own_notifications_only(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    response = login("org-leder").get("/arbeidsflyt/varsler/")
    assert response.status_code == 200
    assert draft.title in response.content.decode()
    other = login("urb-leder").get("/arbeidsflyt/varsler/")
    assert draft.title not in other.content.decode()


def test_marking_notifications_read(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    client = login("org-leder")
    assert Notification.objects.filter(user=demo_user("org-leder"), read_at__isnull=True).exists()
    response = client.post("/arbeidsflyt/varsler/lest/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=demo_user("org-leder"), read_at__isnull=True).exists()


def test_anonymous_visitors_have_no_notification_list(client):
    response = client.get("/arbeidsflyt/varsler/")
    assert response.status_code == 302


def test_the_header_links_to_the_notifications_with_the_unread_count(draft, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft)
    body = login("org-leder").get("/").content.decode()
    assert 'href="/arbeidsflyt/varsler/"' in body
    unread = Notification.objects.filter(user=demo_user("org-leder"), read_at__isnull=True).count()
    assert unread >= 1
    assert f"{unread})" in body.split('class="site-tools__notifications"')[1].split("</a>")[0]


def test_someone_who_lost_access_no_longer_reads_old_notifications(draft, login, django_capture_on_commit_callbacks):
    from portal.organisations import actions as organisation_actions
    from portal.organisations.models import OrganisationMembership

    submit(draft)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject(task_state=task_state(draft), user=demo_user("org-leder"), comment="Grunn Kveitebanken.")
    assert "Kveitebanken" in login("org-medlem").get("/arbeidsflyt/varsler/").content.decode()
    membership = OrganisationMembership.objects.get(user=demo_user("org-medlem"),
                                                    organisation__slug="fellesforbundet-for-brukerorganisasjoner")
    organisation_actions.membership_remove(membership=membership)
    body = login("org-medlem").get("/arbeidsflyt/varsler/").content.decode()
    assert "Kveitebanken" not in body and draft.title not in body


def test_the_council_chair_is_told_when_minutes_wait_for_them(django_capture_on_commit_callbacks):
    from tests.workflows.conftest import council_draft

    page = council_draft()
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, "utvalgssekretaer")
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {demo_user("utvalgsleder").email}
