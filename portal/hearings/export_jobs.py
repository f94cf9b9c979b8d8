"""Starting and running the owner's long exports (all responses as one PDF, the originals as a ZIP).

A job is a task on the queue (portal/core/background.py), run by a task worker, which writes its
progress to the job's row so the owner's page can show it: queued, running with progress, done with
the file, or failed with the reason. A failed attempt is tried again after a pause (the page says
so); a worker that dies midway leaves the task to another worker. Running a job twice builds its
file once: a job that is done is not built again."""

from __future__ import annotations

import datetime
import logging
import tempfile
import time
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from portal.access.users import User, as_account
from portal.core import background

from . import exports, selectors
from .actions import HearingRefused
from .models import ExportJob, HearingPage

logger = logging.getLogger(__name__)

KEEP_FILES_FOR = datetime.timedelta(days=1)
# Seconds between saves of a job's progress (the first and the last are always saved).
PROGRESS_EVERY = 0.25
# A build that fails (a full disk, the database gone for a moment) is tried this often in all.
ATTEMPTS = 3


@transaction.atomic
def export_start(*, hearing: HearingPage, user: User, kind: str) -> ExportJob:
    """Start (or rejoin) an export of the hearing's accepted responses for a hearing owner."""
    if not selectors.may_see_all_responses(user):
        raise HearingRefused(_("Only hearing owners can export the responses."))
    if kind not in ExportJob.Kind.values:
        raise HearingRefused(_("Unknown kind of export."))
    if kind == ExportJob.Kind.ZIP and not exports.responses_with_originals(hearing).exists():
        raise HearingRefused(_("None of the accepted responses has an attached original, so there is nothing to "
                               "put in a ZIP file."))
    if not exports.exported_responses(hearing).exists():
        raise HearingRefused(_("No responses have been accepted yet, so there is nothing to export."))
    running = ExportJob.objects.filter(
        hearing__translation_key=hearing.translation_key, kind=kind, requested_by=as_account(user),
        state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING],
    ).order_by("-created_at").first()
    if running is not None:
        return running  # a second click joins the export already waiting or under way
    _forget_old_jobs()
    job = ExportJob.objects.create(hearing=hearing, kind=kind, requested_by=as_account(user))
    language = get_language() or settings.LANGUAGE_CODE  # the owner's page language at the click
    # Enqueued in this transaction: the worker sees the task when it sees the job, and never a
    # task without its job. (The immediate backend of most tests runs it here and now.)
    run_export.enqueue(job_pk=job.pk, language=language)
    job.refresh_from_db()
    return job


def _forget_old_jobs() -> None:
    """Bundles are made to be downloaded at once; a day later their files (copies of responses,
    some not public yet) are removed rather than kept for ever."""
    for old in ExportJob.objects.filter(created_at__lt=timezone.now() - KEEP_FILES_FOR):
        if old.file:
            old.file.delete(save=False)
        old.delete()


@background.background_task(max_attempts=ATTEMPTS)
def run_export(*, job_pk: int, language: str) -> str:
    """The task: build the job's file (see ``run``); a failure is recorded on the job, then raised
    so that the queue tries again after a pause, until the last attempt."""
    job = ExportJob.objects.filter(pk=job_pk).first()
    if job is None:
        return "gone"  # forgotten (a day old) before a worker came to it
    if job.state == ExportJob.State.DONE and job.file:
        return "done before"  # a second run of a finished job (a retry, a worker that died at the end)
    try:
        run(job, language=language)
    except Exception:
        last = background.is_last_attempt()
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED if last else ExportJob.State.QUEUED,
            failure=_failure_of(job), attempts=job.attempts + 1, updated_at=timezone.now(),
        )
        raise
    return "built"


def _failure_of(job: ExportJob) -> str:
    """Why the build failed, in words the owner can act on (the details go to the log)."""
    hearing = HearingPage.objects.filter(pk=job.hearing_id).first()
    if hearing is None:
        return ExportJob.Failure.GONE
    hearing = hearing.specific
    kind_query = exports.exported_responses if job.kind == ExportJob.Kind.PDF else exports.responses_with_originals
    if not kind_query(hearing).exists():
        return ExportJob.Failure.EMPTY
    return ExportJob.Failure.ERROR


def run(job: ExportJob, *, language: str) -> ExportJob:
    """Build the job's file, saving progress after each response (and telling the queue that this
    worker is alive: a long ZIP must not look like a dead worker)."""
    hearing = HearingPage.objects.get(pk=job.hearing_id).specific

    last_saved = [-PROGRESS_EVERY]

    def progress(done: int, total: int) -> None:
        # The page asks once a second: a write per response would cost more than the build itself.
        now = time.monotonic()
        if done not in (0, total) and now - last_saved[0] < PROGRESS_EVERY:
            return
        last_saved[0] = now
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total, state=ExportJob.State.RUNNING,
                                                   updated_at=timezone.now())
        background.heartbeat()

    # Built in a temporary file, not in memory: a ZIP of scanned originals can be large.
    with tempfile.TemporaryFile() as built, override(language):
        if job.kind == ExportJob.Kind.PDF:
            progress(0, exports.exported_responses(hearing).count())
            exports.all_responses_pdf(hearing, built, progress=progress)
        else:
            progress(0, exports.responses_with_originals(hearing).count())
            exports.originals_zip(hearing, built, progress=progress)
        built.seek(0)
        job.refresh_from_db()
        if job.state == ExportJob.State.DONE and job.file:
            return job  # another run finished first (a worker thought dead was only slow)
        job.file.save(exports.bundle_filename(hearing, job.kind), File(built), save=False)
    job.state = ExportJob.State.DONE
    job.failure = ""
    job.save(update_fields=["file", "state", "failure", "updated_at"])
    return job


def job_for(*, hearing: HearingPage, user: User, key: Any) -> ExportJob | None:
    """The owner's own job on this hearing (another owner's job, or an unknown key: None)."""
    if not selectors.may_see_all_responses(user):
        return None
    return ExportJob.objects.filter(
        key=key, requested_by=as_account(user), hearing__translation_key=hearing.translation_key
    ).first()
