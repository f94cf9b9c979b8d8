"""The one queue for background work: Django's tasks framework (the ``django_tasks`` backport) with
the database backend (``django_tasks_db``), and the worker that runs it (``manage.py task_worker``).

What this module adds to the library, and why:

- ``background_task``: a task that is retried with back-off. The database backend marks a task that
  raised as failed and leaves it there; ours enqueues the next attempt to run after
  ``PORTAL_TASK_RETRY_SECONDS`` × 2ⁿ, up to ``PORTAL_TASK_MAX_ATTEMPTS`` attempts. The failed row
  keeps the error and its traceback; the next attempt carries the error's text too. Tasks must
  therefore be idempotent (running one twice has its effect once): every task here is.
- Workers beat (``TaskWorker.seen_at``) while they wait and while a long task reports progress
  (``heartbeat()``). A task still RUNNING under a worker that stopped beating for
  ``PORTAL_TASK_STALE_SECONDS`` (the process was killed, the machine lost) is made READY again and
  another worker runs it — the library alone would leave it running for ever.
- Periodic work (``every_minute``, ``every_day``): each worker offers it once a minute; a unique
  ``OnceKey`` per task and period (the minute, or the local date) makes it enqueued once per period
  however many workers run, so there is no cron to set up.

No thread is started anywhere: the worker is its own process (started beside the web server by
``make run``, as a service in production).
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import OnceKey, TaskWorker

logger = logging.getLogger(__name__)

# The queue's backend alias in settings.TASKS (the database backend outside the tests).
BACKEND = "background"
# A worker records that it is alive at most this often (a write per poll would be wasteful).
BEAT_EVERY = 10.0
# Finished rows and once-keys are kept this long for people looking into what happened.
KEEP_FINISHED = datetime.timedelta(days=7)

# Whether the running attempt is the last one (no retry follows a failure).
_LAST_ATTEMPT: contextvars.ContextVar[bool] = contextvars.ContextVar("last_attempt", default=True)
_current_worker: str | None = None
_last_beat = 0.0


# --- tasks -----------------------------------------------------------------------------------------


def retry_delay(attempt: int) -> datetime.timedelta:
    """The wait before attempt ``attempt + 1``: doubling, and never more than an hour."""
    seconds = settings.PORTAL_TASK_RETRY_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, 3600))


def _may_defer(backend_alias: str) -> bool:
    # The immediate backend (most tests) runs a task at once and cannot hold one back for later.
    return bool(task_backends[backend_alias].supports_defer)


def is_last_attempt() -> bool:
    """Inside a task: whether a failure now is final (no retry follows)."""
    return _LAST_ATTEMPT.get()


def background_task(*, max_attempts: int | None = None, priority: int = 0) -> Callable[[Callable[..., Any]], Task]:
    """A task whose failures are retried with back-off (see the module's description).

    Arguments must be JSON values (ids, not objects): the task runs in another process."""

    def decorate(func: Callable[..., Any]) -> Task:
        @functools.wraps(func)
        def attempt(*args: Any, _attempt: int = 1, _last_error: str = "", **kwargs: Any) -> Any:
            attempts = max_attempts or settings.PORTAL_TASK_MAX_ATTEMPTS
            will_retry = _attempt < attempts and _may_defer(the_task.backend)
            token = _LAST_ATTEMPT.set(not will_retry)
            try:
                return func(*args, **kwargs)
            except Exception as error:
                if will_retry:
                    when = timezone.now() + retry_delay(_attempt)
                    the_task.using(run_after=when).enqueue(
                        *args, _attempt=_attempt + 1, _last_error=f"{type(error).__name__}: {error}"[:500], **kwargs
                    )
                    logger.warning("Task %s failed (attempt %s of %s); trying again at %s",
                                   the_task.name, _attempt, attempts, when.isoformat(), exc_info=True)
                else:
                    logger.error("Task %s failed for good after %s attempts", the_task.name, _attempt, exc_info=True)
                raise  # this attempt's row records the error and its traceback
            finally:
                _LAST_ATTEMPT.reset(token)

        the_task = task(priority=priority, backend=BACKEND)(attempt)
        return the_task

    return decorate


# --- workers -------------------------------------------------------------------------------------


def beat(*, force: bool = False) -> None:
    """Record that this worker is alive (no-op outside a worker, e.g. with the immediate backend)."""
    global _last_beat
    if _current_worker is None:
        return
    now = time.monotonic()
    if not force and now - _last_beat < BEAT_EVERY:
        return
    _last_beat = now
    TaskWorker.objects.update_or_create(worker_id=_current_worker, defaults={"seen_at": timezone.now()})


# What long tasks call while they work, so that their worker is not taken for dead.
heartbeat = beat


def requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Make READY again every task still RUNNING under a worker that has not beaten for
    ``PORTAL_TASK_STALE_SECONDS``; another worker then runs it (tasks are idempotent)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.PORTAL_TASK_STALE_SECONDS)
    alive = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue  # a long task whose worker is still beating
        # Conditional, so that of two workers noticing it at once only one hands it back.
        requeued += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("Task %s was left running by a worker that stopped (%s); running it again",
                       result.pk, result.worker_ids[-1:] or "?")
    return requeued


def _minute(now: datetime.datetime) -> str:
    return now.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def _day(now: datetime.datetime) -> str:
    # The local date: "daily" work runs in the first minute a worker sees of each day here.
    return timezone.localdate(now).isoformat()


# Per name: the task, and the period it runs once in (named by a function of the time).
_periodic: dict[str, tuple[Task, Callable[[datetime.datetime], str]]] = {}


def every_minute(name: str, periodic: Task) -> None:
    """Have the workers enqueue ``periodic`` (a task without arguments) once a minute. Apps call this
    in ``AppConfig.ready()``."""
    _periodic[name] = (periodic, _minute)


def every_day(name: str, periodic: Task) -> None:
    """Have the workers enqueue ``periodic`` (a task without arguments) once a day: in the first minute
    of the day a worker runs (with no worker at midnight, as soon as one starts). Apps call this in
    ``AppConfig.ready()``."""
    _periodic[name] = (periodic, _day)


def enqueue_periodic(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the periodic work due in this minute (each task once in its period) unless a worker
    already did; the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for name, (periodic, period) in sorted(_periodic.items()):
        key = f"every:{name}:{period(now)}"
        if OnceKey.objects.filter(key=key).exists():
            continue  # done in this period (daily work: every minute but one), without a failed insert
        try:
            with transaction.atomic():
                OnceKey.objects.create(key=key)
                periodic.enqueue()
        except IntegrityError:
            continue  # another worker enqueued it for this period at the same moment
        enqueued.append(name)
    return enqueued


def _runner(worker_id: str, backend_name: str) -> Worker:
    # The library's worker runs a claimed task (marking it succeeded or failed, sending the
    # signals); claiming, beating, retries and periodic work are ours.
    return Worker(queue_names=["*"], interval=0, batch=True, backend_name=backend_name, startup_delay=False,
                  max_tasks=None, worker_id=worker_id, excluded_queue_names=[])


def run_once(*, worker_id: str, backend_name: str = BACKEND) -> bool:
    """Claim one ready task and run it; False when there was none (or the database was busy)."""
    global _current_worker
    _current_worker = worker_id
    beat()
    ready = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    try:
        with exclusive_transaction(ready.db):
            claimed = ready.get_locked()
            if claimed is not None:
                claimed.claim(worker_id)
    except OperationalError as error:
        if is_locked_database_exception(error):
            return False  # SQLite busy with another writer: try again on the next round
        raise
    if claimed is None:
        return False
    _runner(worker_id, backend_name).run_task(claimed)
    return True


def tidy(*, now: datetime.datetime | None = None) -> None:
    """Forget finished tasks, once-keys and workers gone for longer than ``KEEP_FINISHED``."""
    cutoff = (now or timezone.now()) - KEEP_FINISHED
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    OnceKey.objects.filter(created_at__lt=cutoff).delete()
    TaskWorker.objects.filter(seen_at__lt=cutoff).delete()


def work(*, worker_id: str, interval: float = 1.0, batch: bool = False, scheduler: bool = True,
         backend_name: str = BACKEND, stopping: Callable[[], bool] = lambda: False) -> int:
    """The worker's loop: periodic work each minute, stale tasks handed back, then the next ready
    task; sleeps ``interval`` when there is none. Returns how many tasks it ran."""
    global _current_worker
    _current_worker = worker_id
    beat(force=True)
    ran = 0
    last_minute = None
    last_stale_check = 0.0
    while not stopping():
        if not connection.in_atomic_block:  # (never in a worker; only when a test calls this in its transaction)
            close_old_connections()  # as a request would: a database restart must not stop the worker
        try:
            minute = timezone.now().replace(second=0, microsecond=0)
            if scheduler and minute != last_minute:
                enqueue_periodic(now=minute)
                last_minute = minute
            if time.monotonic() - last_stale_check > BEAT_EVERY:
                requeue_stale()
                last_stale_check = time.monotonic()
            did = run_once(worker_id=worker_id, backend_name=backend_name)
        except OperationalError:
            logger.warning("The database is unreachable; trying again shortly", exc_info=True)
            did = False
        ran += did
        if not did:
            if batch:
                break
            _sleep(interval, stopping)
    return ran


def _sleep(seconds: float, stopping: Callable[[], bool]) -> None:
    end = time.monotonic() + seconds
    while not stopping() and time.monotonic() < end:
        time.sleep(min(0.2, max(0.0, end - time.monotonic())))
