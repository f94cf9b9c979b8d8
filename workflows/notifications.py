"""E-mail and in-site notifications for workflow steps.

Recipients are decided inside the transaction, but nothing is sent or stored until it commits, so
a rolled-back step announces nothing; a failing e-mail is logged and never undoes or blocks a step.
Each message is rendered in its recipient's language. A recipient who may not see the object (when
the step commits) gets nothing; links lead to the portal, never to the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from portal.access.users import Account, User
from portal.core import mail

from .models import Notification, PortalTask
from .owners import anchor_page
from .selectors import may_read, object_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Announcement:
    recipient: Account
    verb: str
    page: Any  # the object under review: a page, or a non-page object placed in the tree (minutes)
    title: str
    step: Any
    comment: str
    task_state: TaskState | None = None


def authors_of(workflow_state: WorkflowState) -> set[Any]:
    """The person who submitted, and everyone who saved a revision since the publication before
    this submission."""
    page = workflow_state.content_object
    authors = {workflow_state.requested_by} if workflow_state.requested_by else set()
    if not isinstance(page, Page):
        return authors
    last_publish = (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish", timestamp__lt=workflow_state.created_at)
        .order_by("-timestamp").values_list("timestamp", flat=True).first()
    )
    revisions = Revision.objects.filter(base_content_type_id=page.get_base_content_type().pk, object_id=str(page.pk))
    if last_publish:
        revisions = revisions.filter(created_at__gt=last_publish)
    revisions = revisions.filter(Q(created_at__lte=workflow_state.created_at) | Q(user=workflow_state.requested_by))
    for revision in revisions.select_related("user"):
        if revision.user is not None:
            authors.add(revision.user)
    return {user for user in authors if user.is_active}


_quiet = {"on": False}


@contextmanager
def quiet() -> Iterator[None]:
    """No e-mails for steps taken inside this block (the demo loader); in-site notifications are
    still stored."""
    previous = _quiet["on"]
    _quiet["on"] = True
    try:
        yield
    finally:
        _quiet["on"] = previous


def _announce(announcements: list[Announcement]) -> None:
    if announcements:
        transaction.on_commit(partial(deliver, announcements, send_email=not _quiet["on"]))


def deliver(announcements: list[Announcement], *, send_email: bool = True) -> None:
    """Store and send each announcement on its own: one failure never stops the others, and never
    reaches the step that caused it (which has already committed). Access is checked here, after
    the commit: someone who may not see the object gets nothing at all, not even a hint."""
    for announcement in announcements:
        try:
            if not may_read(announcement.recipient, announcement.page):
                continue
            notification = _store(announcement)
        except Exception:
            logger.exception("Could not store notification for user %s", announcement.recipient.pk)
            continue
        if not send_email:
            continue
        try:
            _send(announcement, notification)
        except Exception:
            logger.exception("Could not send notification e-mail to user %s", announcement.recipient.pk)


def _store(announcement: Announcement) -> Notification:
    obj = announcement.page
    is_page = isinstance(obj, Page)
    return Notification.objects.create(
        user=announcement.recipient,
        verb=announcement.verb,
        title=announcement.title[:255],
        comment=announcement.comment,
        url=object_url(obj, task_state=announcement.task_state, user=announcement.recipient),
        page=obj if is_page else None,
        object_type=None if is_page else ContentType.objects.get_for_model(type(obj)),
        object_id="" if is_page else str(obj.pk),
        task_state=announcement.task_state if announcement.verb == Notification.Verb.WAITING else None,
    )


def _send(announcement: Announcement, notification: Notification) -> None:
    recipient = announcement.recipient

    def compose() -> tuple[str, str]:
        context = {
            "recipient": recipient,
            "verb": announcement.verb,
            "title": announcement.title,
            # Lazy: the step's name is rendered in the recipient's language.
            "step": str(announcement.step),
            "comment": announcement.comment,
            # Through the notification: opening it marks it read, checks access again at that moment
            # and leads to the portal page where the action is.
            "url": mail.absolute_url(reverse("workflows:notification_open", args=[notification.pk])),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        return (render_to_string("workflows/email/subject.txt", context),
                render_to_string("workflows/email/notification.txt", context))

    mail.send(recipient, compose)


def _page_of(workflow_state: WorkflowState) -> Any:
    """The object under review: a page (as its specific type), or a non-page object placed in the
    tree by a page (minutes, through their meeting); None for anything else."""
    obj = workflow_state.content_object
    if isinstance(obj, Page):
        return obj.specific
    return obj if anchor_page(obj) is not None else None


def _title(task_state: TaskState, page: Any) -> str:
    """The title under review (the submitted revision's), not the published one."""
    revision = task_state.revision
    return (revision.object_str if revision is not None else "") or str(page)


# --- signal receivers ---------------------------------------------------------------------------


def on_task_submitted(sender: Any, instance: TaskState, user: User | None = None, **kwargs: Any) -> None:
    task = instance.task.specific
    if not isinstance(task, PortalTask):
        return
    page = _page_of(instance.workflow_state)
    if page is None:
        return
    step = task.get_verbose_name()
    _announce([
        Announcement(
            recipient, Notification.Verb.WAITING, page, _title(instance, page), step, "", instance,
        )
        for recipient in task.approvers_for(page)
        if recipient != user
    ])


def _to_authors(task_state: TaskState, verb: str, user: User | None) -> None:
    task = task_state.task.specific
    if not isinstance(task, PortalTask):
        return
    workflow_state = task_state.workflow_state
    page = _page_of(workflow_state)
    if page is None:
        return
    step = task.get_verbose_name()
    _announce([
        Announcement(recipient, verb, page, _title(task_state, page), step, task_state.comment, task_state)
        for recipient in authors_of(workflow_state)
        if recipient != user
    ])


def mark_handled(sender: Any, instance: TaskState, **kwargs: Any) -> None:
    """A step was decided (approved, sent back, cancelled): nobody's notification that it waits for
    them waits any longer, whoever decided it."""
    now = timezone.now()
    waiting = Notification.objects.filter(task_state=instance, verb=Notification.Verb.WAITING, done_at__isnull=True)
    waiting.filter(read_at__isnull=True).update(read_at=now)
    waiting.update(done_at=now)


def on_task_approved(sender: Any, instance: TaskState, user: User | None = None, **kwargs: Any) -> None:
    mark_handled(sender, instance)
    finished = instance.workflow_state.status == WorkflowState.STATUS_APPROVED
    _to_authors(instance, Notification.Verb.PUBLISHED if finished else Notification.Verb.APPROVED, user)


def on_task_rejected(sender: Any, instance: TaskState, user: User | None = None, **kwargs: Any) -> None:
    mark_handled(sender, instance)
    _to_authors(instance, Notification.Verb.REJECTED, user)


def is_portal_workflow_state(workflow_state: Any) -> bool:
    """Whether our notifications cover this workflow (so Wagtail's own e-mails would duplicate)."""
    from .models import CouncilChairApprovalTask, ModerationTask, OrganisationApprovalTask

    ours = [OrganisationApprovalTask, CouncilChairApprovalTask, ModerationTask]
    from django.contrib.contenttypes.models import ContentType

    content_types = [ContentType.objects.get_for_model(model) for model in ours]
    return workflow_state.workflow.workflow_tasks.filter(task__content_type__in=content_types).exists()


def connect() -> None:
    from wagtail.signals import task_approved, task_cancelled, task_rejected, task_submitted

    task_submitted.connect(on_task_submitted, dispatch_uid="portal_workflows_task_submitted")
    task_approved.connect(on_task_approved, dispatch_uid="portal_workflows_task_approved")
    task_rejected.connect(on_task_rejected, dispatch_uid="portal_workflows_task_rejected")
    task_cancelled.connect(mark_handled, dispatch_uid="portal_workflows_task_cancelled")
    _silence_wagtail_duplicates()


def _silence_wagtail_duplicates() -> None:
    """Wagtail e-mails workflow submissions (to every superuser), approvals and rejections
    synchronously inside the request. For our workflows those would duplicate ours — and go out
    even if the transaction later fails — so its notifiers skip them."""
    from wagtail.admin import signal_handlers

    for notifier in (
        signal_handlers.workflow_submission_email_notifier,
        signal_handlers.workflow_approval_email_notifier,
        signal_handlers.workflow_rejection_email_notifier,
    ):
        if getattr(notifier, "_portal_silenced", False):
            continue
        original = notifier.can_handle

        def can_handle(instance: Any, _original: Any = original, **kwargs: Any) -> bool:
            return _original(instance, **kwargs) and not is_portal_workflow_state(instance)

        notifier.can_handle = can_handle
        notifier._portal_silenced = True
