"""The daily reminder run, with a fixed clock: a module missing three months after joining, and a
completion older than the council's renewal period, remind the member and their organisation's lead
(in-site and by e-mail, each in their own language), once."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail.users.models import UserProfile

from portal.councils import actions as council_actions
from portal.training import actions
from portal.training.models import Completion, Module, Reminder
from portal.training.notifications import send_due_reminders
from tests.helpers import demo_page, demo_user, make_user
from tests.training.helpers import secretary, vestland
from workflows.models import Notification

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2025, 1, 15)


@pytest.fixture
def newcomer():
    user = make_user("ny-representant", first_name="Nora", last_name="Nesse")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "nn"
    profile.save()
    council_actions.membership_add(council=vestland(), user=user, start=JOINED,
                                   organisation=demo_page("fellesforbundet-for-brukerorganisasjoner"))
    return user


def _mail_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def test_the_reminder_is_in_the_members_notification_list_in_their_language(newcomer, client):
    send_due_reminders(today=datetime.date(2025, 4, 15))
    client.force_login(newcomer)
    body = client.get("/nn/arbeidsflyt/varsler/").content.decode()
    assert "Du har ikkje fullført Modul 1: å vere brukarrepresentant i Brukarutvalet i Vestland" in body
    assert "(påminning)" in body


def test_nothing_before_three_months_then_member_and_lead_are_reminded_once(newcomer):
    lead = demo_user("org-leder")
    mail.outbox.clear()
    send_due_reminders(today=datetime.date(2025, 4, 14))
    assert not _mail_to(newcomer) and not Reminder.objects.filter(user=newcomer).exists()

    send_due_reminders(today=datetime.date(2025, 4, 15))
    assert set(Reminder.objects.filter(user=newcomer).values_list("module", "reason")) == {
        (Module.ONE, "missing"), (Module.TWO, "missing")}
    mine = _mail_to(newcomer)
    assert len(mine) == 2
    # The member reads Nynorsk, the lead Bokmål.
    assert "Du har ikkje fullført" in mine[0].subject + mine[0].body
    leads = [m for m in _mail_to(lead) if "Nora Nesse" in m.subject]
    assert len(leads) == 2 and "har ikke fullført" in leads[0].subject
    assert Notification.objects.filter(user=newcomer, verb=Notification.Verb.REMINDER).count() == 2
    assert Notification.objects.filter(user=lead, verb=Notification.Verb.REMINDER, title__contains="Nora").count() == 2

    mail.outbox.clear()
    send_due_reminders(today=datetime.date(2025, 4, 16))
    assert not _mail_to(newcomer) and not [m for m in _mail_to(lead) if "Nora" in m.subject]


def test_a_completed_module_is_not_reminded_and_a_stale_one_is_after_the_councils_period(newcomer):
    Completion.objects.create(user=newcomer, module=Module.ONE, completed_on=datetime.date(2025, 2, 1))
    Completion.objects.create(user=newcomer, module=Module.TWO, completed_on=datetime.date(2025, 3, 1))
    send_due_reminders(today=datetime.date(2025, 6, 1))
    assert not Reminder.objects.filter(user=newcomer).exists()

    actions.set_renewal(council=vestland(), actor=secretary(), months=12)
    mail.outbox.clear()
    send_due_reminders(today=datetime.date(2026, 2, 1))
    assert list(Reminder.objects.filter(user=newcomer).values_list("module", "reason")) == [
        (Module.ONE, "expired:2025-02-01")]
    assert "bør fornyast" in _mail_to(newcomer)[0].subject


def test_the_daily_command_takes_a_date_and_refuses_a_bad_one(newcomer):
    out = io.StringIO()
    call_command("send_training_reminders", "--date", "2025-04-20", stdout=out)
    assert Reminder.objects.filter(user=newcomer).count() == 2
    with pytest.raises(CommandError):
        call_command("send_training_reminders", "--date", "20.04.2025")


def test_the_worker_sends_the_reminders_once_a_day_without_cron(run_worker):
    from django.utils import timezone

    from portal.core import background

    today = timezone.localdate()
    member = make_user("ny-i-dag", first_name="Dag", last_name="Dagsen")
    council_actions.membership_add(council=vestland(), user=member, start=today - datetime.timedelta(days=100))
    mail.outbox.clear()
    morning = timezone.now()
    background.enqueue_periodic(now=morning)
    run_worker()
    assert len(_mail_to(member)) == 2, "both modules are missing after three months"

    background.enqueue_periodic(now=morning + datetime.timedelta(minutes=5))
    run_worker()
    assert len(_mail_to(member)) == 2, "the same day: not again"


def test_past_members_are_not_reminded(newcomer):
    membership = newcomer.council_memberships.get()
    membership.end = datetime.date(2025, 3, 1)
    membership.save()
    send_due_reminders(today=datetime.date(2025, 4, 15))
    assert not Reminder.objects.filter(user=newcomer).exists()
