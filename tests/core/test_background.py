"""The task queue for real: django-tasks-db's table and our worker loop (portal/core/background.py),
run in this process. Most other tests use the immediate backend; these prove what it cannot: a task
waits until a worker runs it, a failure is retried later (with back-off) and then succeeds, running
a task twice has its effect once, and a task whose worker died is run again by another worker."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail as outbox
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.core import background, mail
from portal.core.models import TaskWorker
from portal.councils import actions as council_actions
from portal.councils.models import CouncilMembership
from portal.hearings.models import HearingFollower, PublicationPolicy
from tests.factories.users import UserFactory
from tests.hearings.helpers import FFB, accept, make_hearing, make_response
from tests.helpers import demo_page, demo_user, make_user

pytestmark = pytest.mark.django_db


def _queue_mail(subject: str = "Møte i utvalget") -> None:
    recipient = UserFactory(username="mottaker")
    assert mail.send(recipient, lambda: (subject, "Velkommen til møtet."))


def _rows(status: str | None = None):
    rows = DBTaskResult.objects.filter(task_path="portal.core.tasks.deliver_mail")
    return rows.filter(status=status) if status else rows


def test_an_enqueued_task_waits_in_the_database_until_a_worker_runs_it(run_worker):
    _queue_mail()
    assert outbox.outbox == [], "nothing is sent in the request"
    assert _rows("READY").count() == 1
    assert run_worker() == 1
    (message,) = outbox.outbox
    assert message.subject == "Møte i utvalget" and message.to == ["mottaker@example.org"]
    assert _rows("SUCCESSFUL").count() == 1
    assert run_worker() == 0, "a finished task is not run again"


def test_a_failing_task_is_tried_again_after_a_back_off_and_then_succeeds(run_worker, monkeypatch, settings):
    settings.PORTAL_TASK_RETRY_SECONDS = 30
    real_send = EmailMessage.send
    failures = iter([ConnectionRefusedError("smtp down")])

    def flaky(self, *args, **kwargs):
        error = next(failures, None)
        if error:
            raise error
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    _queue_mail()
    before = timezone.now()
    assert run_worker() == 1
    assert outbox.outbox == []
    failed = _rows("FAILED").get()
    assert "smtp down" in failed.traceback, "the failed attempt records its error"
    retry = _rows("READY").get()
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    assert "ConnectionRefusedError: smtp down" in retry.args_kwargs["kwargs"]["_last_error"]
    assert before + datetime.timedelta(seconds=29) < retry.run_after < timezone.now() + datetime.timedelta(seconds=31)
    assert run_worker() == 0, "not before its time"

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    assert run_worker() == 1
    assert len(outbox.outbox) == 1 and _rows("SUCCESSFUL").count() == 1


def test_the_back_off_doubles_and_a_task_gives_up_after_its_last_attempt(run_worker, monkeypatch, settings):
    settings.PORTAL_TASK_MAX_ATTEMPTS = 3
    settings.PORTAL_TASK_RETRY_SECONDS = 10
    assert [background.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    _queue_mail()
    for _attempt in range(5):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))
        run_worker()
    assert _rows("FAILED").count() == 3, "three attempts in all"
    assert not _rows("READY").exists()


def test_running_a_mail_task_twice_sends_the_message_once(run_worker):
    _queue_mail()
    row = _rows().get()
    assert run_worker() == 1
    # The same task run again (a retry after a crash at the very end, a worker taken for dead).
    DBTaskResult.objects.filter(pk=row.pk).update(status="READY", finished_at=None)
    assert run_worker() == 1
    assert len(outbox.outbox) == 1


def test_a_task_left_running_by_a_dead_worker_is_run_again_by_another_after_the_timeout(run_worker, settings):
    settings.PORTAL_TASK_STALE_SECONDS = 60
    _queue_mail()
    row = _rows().get()
    row.claim("dead-worker")  # the worker claimed it, then was killed before it could finish
    long_ago = timezone.now() - datetime.timedelta(seconds=120)
    TaskWorker.objects.create(worker_id="dead-worker", seen_at=long_ago)
    assert run_worker() == 0, "a running task is not taken by another worker"
    assert background.requeue_stale() == 0, "not while it is younger than the timeout"

    DBTaskResult.objects.filter(pk=row.pk).update(started_at=long_ago)
    assert background.requeue_stale() == 1
    assert run_worker("second-worker") == 1
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.worker_ids == ["dead-worker", "second-worker"]
    assert len(outbox.outbox) == 1


def test_a_long_task_whose_worker_still_beats_is_left_alone(run_worker, settings):
    settings.PORTAL_TASK_STALE_SECONDS = 60
    _queue_mail()
    row = _rows().get()
    row.claim("busy-worker")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    TaskWorker.objects.create(worker_id="busy-worker", seen_at=timezone.now())
    assert background.requeue_stale() == 0
    assert run_worker() == 0 and outbox.outbox == []


def test_periodic_work_is_enqueued_once_a_minute_however_many_workers_ask(database_tasks):
    minute = timezone.now().replace(second=5, microsecond=0)
    first = background.enqueue_periodic(now=minute)
    assert {"publish_scheduled", "reindex_due_search", "announce_released_responses"} <= set(first)
    assert background.enqueue_periodic(now=minute + datetime.timedelta(seconds=30)) == [], "a second worker"
    assert DBTaskResult.objects.filter(task_path="portal.core.tasks.publish_scheduled").count() == 1
    # The next minute: the same again, but not the daily work (enqueued once on this day already).
    assert background.enqueue_periodic(now=minute + datetime.timedelta(minutes=1)) == [
        name for name in first if name not in ("send_training_reminders", "sync_council_groups")]


def test_scheduled_publishing_happens_through_the_worker(run_worker):
    from wagtail.models import Page

    from portal.core.models import StandardPage

    page = StandardPage(title="Planlagt side", slug="planlagt", live=False)
    Page.objects.get(depth=1).add_child(instance=page)
    page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(seconds=5))
    background.enqueue_periodic()
    run_worker()
    page.refresh_from_db()
    assert page.live, "the worker published the page whose time had come"


def test_the_worker_command_runs_what_is_ready_and_stops_in_batch_mode(database_tasks):
    _queue_mail("Fra kommandoen")
    call_command("task_worker", "--batch", "--no-scheduler", "--worker-id", "kommando", verbosity=0)
    assert [message.subject for message in outbox.outbox] == ["Fra kommandoen"]
    assert TaskWorker.objects.filter(worker_id="kommando").exists()


def _worker_minute(run_worker, monkeypatch, at: datetime.datetime) -> None:
    """One minute of a worker's life with the clock at ``at``: the periodic work enqueued, then run
    (and the e-mails it queued sent)."""
    monkeypatch.setattr(timezone, "now", lambda: at)
    background.enqueue_periodic()
    run_worker()


def test_followers_hear_once_of_a_response_the_deadline_released_with_no_cron(run_worker, monkeypatch):
    hearing = make_hearing("folg-arbeider", policy=PublicationPolicy.AT_DEADLINE, days=1)
    follower = demo_user("urb-leder")
    HearingFollower.objects.create(hearing_key=hearing.translation_key, user=follower)
    accept(make_response(hearing, FFB, parts=[("1", "comment", "Kommentar.", "")]))
    run_worker()
    outbox.outbox.clear()

    def told() -> list:
        # About this hearing: the follower leads an organisation, so the day's first worker minute
        # may also remind them of their members' training.
        return [message for message in outbox.outbox
                if message.to == [follower.email] and hearing.title in message.subject + message.body]

    now = timezone.now()
    _worker_minute(run_worker, monkeypatch, now)
    assert told() == [], "before the deadline the response is not public: nothing is said"
    after = hearing.deadline + datetime.timedelta(minutes=1)
    _worker_minute(run_worker, monkeypatch, after)
    assert len(told()) == 1 and "New response to" in told()[0].subject  # urb-leder reads English
    _worker_minute(run_worker, monkeypatch, after + datetime.timedelta(minutes=1))
    _worker_minute(run_worker, monkeypatch, after + datetime.timedelta(hours=5))
    assert len(told()) == 1, "announced once, however often the worker looks"


def test_council_groups_are_brought_in_step_by_the_worker_once_a_day(run_worker):
    bergen = demo_page("brukerutvalget-i-bergen")
    group = council_actions.ensure_space(council=bergen).members
    member = make_user("dato-utlopt")
    council_actions.membership_add(council=bergen, user=member)
    # The seat ends by date (no action): the group is stale until the daily work.
    today = timezone.localdate()
    CouncilMembership.objects.filter(user=member).update(start=today - datetime.timedelta(days=30),
                                                         end=today - datetime.timedelta(days=1))
    assert group.user_set.filter(pk=member.pk).exists()

    def sync_runs() -> int:
        return DBTaskResult.objects.filter(task_path="portal.councils.tasks.sync_council_groups").count()

    morning = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    background.enqueue_periodic(now=morning)
    run_worker()
    assert sync_runs() == 1 and not group.user_set.filter(pk=member.pk).exists()

    group.user_set.add(member)  # stale again (as another seat ending by date would leave it)
    for later in (datetime.timedelta(minutes=1), datetime.timedelta(hours=6)):
        background.enqueue_periodic(now=morning + later)
        run_worker()
    assert sync_runs() == 1, "not again the same day"
    assert group.user_set.filter(pk=member.pk).exists()

    background.enqueue_periodic(now=morning + datetime.timedelta(days=1))
    run_worker()
    assert sync_runs() == 2 and not group.user_set.filter(pk=member.pk).exists(), "the next day it runs again"
