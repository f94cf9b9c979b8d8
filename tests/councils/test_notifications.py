"""E-mails: a new member is told they were added; followers of a thread are told about replies.
Each in the recipient's own language, only to current members, only after the change commits."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.councils import actions
from portal.councils.models import CouncilMembership
from tests.councils.helpers import BERGEN, council, seat
from tests.helpers import demo_user, make_user

pytestmark = pytest.mark.django_db


def _subject(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values


def test_a_new_member_is_told_in_their_own_language(django_capture_on_commit_callbacks):
    from wagtail.users.models import UserProfile

    newcomer = make_user("nynorsk-representant")
    profile = UserProfile.get_for_user(newcomer)
    profile.preferred_language = "nn"
    profile.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.membership_add(council=council(), user=newcomer, actor=demo_user("utvalgssekretaer"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [newcomer.email]
    nn_council = council(language="nn")
    assert message.subject == _subject("nn", "You have been added to %(council)s", council=nn_council.title)
    assert f"/nn/brukerutvalg/{BERGEN}/rom/" in message.body


def test_no_mail_is_sent_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    newcomer = make_user("angret")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.membership_add(council=council(), user=newcomer)
    assert len(callbacks) == 1 and mail.outbox == []  # nothing sent inside the transaction


def test_followers_get_reply_emails_in_their_language_and_only_current_members(django_capture_on_commit_callbacks):
    starter = demo_user("utvalgsmedlem")  # prefers Nynorsk
    leaving = seat(BERGEN, "snart-borte")
    thread = actions.thread_start(council=council(), author=starter, title="Brukermøte i mai",
                                  body="Skal vi ha brukermøte i mai?")
    actions.thread_reply(thread=thread, author=demo_user("utvalgssekretaer"), body="Ja, gjerne.")
    actions.thread_reply(thread=thread, author=leaving, body="Jeg kan hjelpe til.")
    # The leaving member followed the thread, then their period ended.
    CouncilMembership.objects.filter(user=leaving).update(
        start=timezone.localdate() - datetime.timedelta(days=10), end=timezone.localdate() - datetime.timedelta(days=1)
    )
    outsider = make_user("nysgjerrig")
    thread.followers.add(outsider)  # someone who never had access must not be told either

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.thread_reply(thread=thread, author=demo_user("utvalgsleder"), body="Vi setter det på sakslisten.")
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {starter.email, demo_user("utvalgssekretaer").email}
    assert recipients[starter.email].subject == _subject("nn", "New reply in “%(thread)s”", thread=thread.title)
    assert f"/nn/brukerutvalg/{BERGEN}/rom/trad/{thread.pk}/" in recipients[starter.email].body
    secretary_mail = recipients[demo_user("utvalgssekretaer").email]
    assert secretary_mail.subject == _subject("nb", "New reply in “%(thread)s”", thread=thread.title)
    assert f"/brukerutvalg/{BERGEN}/rom/trad/{thread.pk}/" in secretary_mail.body
    assert "Vi setter det på sakslisten." in secretary_mail.body


def test_the_replier_is_not_told_about_their_own_reply(django_capture_on_commit_callbacks):
    author = demo_user("utvalgsleder")
    thread = actions.thread_start(council=council(), author=author, title="Egen tråd", body="Første innlegg")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.thread_reply(thread=thread, author=author, body="Et tillegg")
    assert mail.outbox == []
