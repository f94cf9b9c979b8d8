"""Starting and running the owner's long exports (all responses as one PDF, the originals as a ZIP).

A job runs in a thread beside the request that started it, writing its progress to its row, so
the owner's page can show how far it has come and then offer the file. A job whose process died
(a restart) stops moving and is shown as failed after ``ExportJob.STALE_AFTER``; the owner starts
another. With ``PORTAL_EXPORT_JOBS_INLINE`` (the tests) the job runs before the request returns."""

from __future__ import annotations

import datetime
import logging
import tempfile
import threading
import time
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from . import exports, selectors
from .actions import HearingRefused
from .models import ExportJob, HearingPage

logger = logging.getLogger(__name__)

KEEP_FILES_FOR = datetime.timedelta(days=1)
# Seconds between saves of a job's progress (the first and the last are always saved).
PROGRESS_EVERY = 0.25


@transaction.atomic
def export_start(*, hearing: HearingPage, user: Any, kind: str) -> ExportJob:
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
        hearing__translation_key=hearing.translation_key, kind=kind, requested_by=user,
        state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING],
    ).order_by("-created_at").first()
    if running is not None and running.effective_state() != ExportJob.State.FAILED:
        return running  # a second click joins the export already under way
    _forget_old_jobs()
    job = ExportJob.objects.create(hearing=hearing, kind=kind, requested_by=user)
    language = get_language() or settings.LANGUAGE_CODE  # the owner's page language at the click
    if settings.PORTAL_EXPORT_JOBS_INLINE:
        return run(job.pk, language=language)
    # After the commit: the thread's own connection must find the job's row.
    transaction.on_commit(lambda: start_thread(job.pk, language=language))
    return job


def _forget_old_jobs() -> None:
    """Bundles are made to be downloaded at once; a day later their files (copies of responses,
    some not public yet) are removed rather than kept for ever."""
    for old in ExportJob.objects.filter(created_at__lt=timezone.now() - KEEP_FILES_FOR):
        if old.file:
            old.file.delete(save=False)
        old.delete()


def start_thread(job_pk: int, *, language: str) -> threading.Thread:
    thread = threading.Thread(target=_run_in_thread, args=(job_pk, language), name=f"export-{job_pk}", daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_pk: int, language: str) -> None:
    close_old_connections()
    try:
        run(job_pk, language=language)
    finally:
        connection.close()  # a thread's connection is its own; leave none open behind it


def run(job_pk: int, *, language: str) -> ExportJob:
    """Build the job's file, saving progress after each response. A failure is recorded, not raised:
    nobody is waiting on this call but the page that polls the row."""
    job = ExportJob.objects.select_related("hearing").get(pk=job_pk)
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

    try:
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
            job.file.save(exports.bundle_filename(hearing, job.kind), File(built), save=False)
        job.state = ExportJob.State.DONE
        job.save(update_fields=["file", "state", "updated_at"])
    except Exception:
        logger.exception("Export %s of hearing %s failed", job.pk, job.hearing_id)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, updated_at=timezone.now())
        job.refresh_from_db()
    return job


def job_for(*, hearing: HearingPage, user: Any, key: Any) -> ExportJob | None:
    """The owner's own job on this hearing (another owner's job, or an unknown key: None)."""
    if not selectors.may_see_all_responses(user):
        return None
    return ExportJob.objects.filter(
        key=key, requested_by=user, hearing__translation_key=hearing.translation_key
    ).first()
