"""Workflow steps as typed service functions, for the public site and the admin alike.

Each one runs in a transaction and raises :class:`WorkflowRefused` (with a translated message) when
the step is not allowed; a refused step changes nothing, the draft included.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, TaskState, WorkflowState

from portal.access.users import User
from portal.access.visibility import can_edit

from .deadlines import guard_deadline
from .exceptions import WorkflowRefused

HIDDEN = "portal_workflows.hide"
WITHDRAWN = "portal_workflows.withdraw"


@transaction.atomic
def submit_for_moderation(*, page: Page, user: User) -> WorkflowState:
    """Send the latest draft into the workflow that applies where the page lives (or back into it
    after changes were requested)."""
    page = page.specific
    if not can_edit(user, page):
        raise WorkflowRefused(_("You may not submit this."))
    if page.get_latest_revision() is None:
        page.save_revision(user=user)
    guard_deadline(page.get_latest_revision_as_object())
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
        return state
    if state is not None:
        raise WorkflowRefused(_("This is already waiting for approval."))
    workflow = page.get_workflow()
    if workflow is None:
        raise WorkflowRefused(_("No approval is set up for this part of the portal."))
    return workflow.start(page, user)


def _task_action(task_state: TaskState, user: User, action: str, comment: str) -> TaskState:
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
    task = task_state.task.specific
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise WorkflowRefused(_("This step has already been decided."))
    task.on_action(task_state, user, action, comment=comment)
    task_state.refresh_from_db()
    return task_state


@transaction.atomic
def approve(*, task_state: TaskState, user: User, comment: str = "") -> TaskState:
    return _task_action(task_state, user, "approve", comment)


@transaction.atomic
def reject(*, task_state: TaskState, user: User, comment: str) -> TaskState:
    if not (comment or "").strip():
        raise WorkflowRefused(_("Give a reason, so the author knows what to change."))
    return _task_action(task_state, user, "reject", comment)


@transaction.atomic
def withdraw(*, page: Page, user: User, comment: str = "") -> None:
    """The author (or a reviewer) takes a submission back: the workflow is cancelled, the draft
    kept, and the withdrawal recorded with its reason."""
    page = page.specific
    state = page.current_workflow_state
    if state is None or not state.user_can_cancel(user):
        raise WorkflowRefused(_("You may not withdraw this."))
    state.cancel(user=user)
    log(instance=page, action=WITHDRAWN, user=user, data={"comment": comment})


def record_hidden(*, obj: Any, user: User, comment: str) -> None:
    """Record that a moderator hid something (used by the discussion spaces), with the reason."""
    if not (comment or "").strip():
        raise WorkflowRefused(_("Give a reason for hiding this."))
    log(instance=obj, action=HIDDEN, user=user, data={"comment": comment})
