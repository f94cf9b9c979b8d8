"""One status word per state, the same on every page and channel that shows it.

A draft in a workflow (editor, workspace, queue): "Til godkjenning hos leder", "Til moderering",
"Publisert". A hearing (badge, list filter, search facet, e-mails, the open-data API): "Åpen",
"Lukket", "Konkludert", "Trukket tilbake" – defined here once so the list's badge and its filter
can never disagree again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState, WorkflowState

from .models import CouncilChairApprovalTask, ModerationTask, OrganisationApprovalTask

DRAFT = "draft"
WAITING_FOR_LEAD = "lead"
WAITING_FOR_CHAIR = "chair"
IN_MODERATION = "moderation"
RETURNED = "returned"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"

LABELS = {
    DRAFT: _("Draft"),
    WAITING_FOR_LEAD: _("Waiting for the lead's approval"),
    WAITING_FOR_CHAIR: _("Waiting for the chair's approval"),
    IN_MODERATION: _("In moderation"),
    RETURNED: _("Returned with changes requested"),
    PUBLISHED: _("Published"),
    WITHDRAWN: _("Withdrawn"),
}


# A hearing's status is derived (publication, the clock, the outcome); these are its words. The
# codes are the API's and the list filter's values.
HEARING_DRAFT = "draft"
HEARING_OPEN = "open"
HEARING_CLOSED = "closed"
HEARING_CONCLUDED = "concluded"
HEARING_WITHDRAWN = "withdrawn"

HEARING_LABELS = {
    HEARING_DRAFT: _("Draft"),
    HEARING_OPEN: _("Open"),
    HEARING_CLOSED: _("Closed"),
    HEARING_CONCLUDED: _("Concluded"),
    HEARING_WITHDRAWN: _("Withdrawn"),
}

# The statuses a reader can filter the public list by (a draft is never public).
HEARING_PUBLIC_STATUSES = (HEARING_OPEN, HEARING_CLOSED, HEARING_CONCLUDED, HEARING_WITHDRAWN)


def hearing_label(code: str) -> str:
    """The word for a hearing status in the active language ("" for an unknown code)."""
    label = HEARING_LABELS.get(code)
    return str(label) if label is not None else ""


@dataclass(frozen=True)
class Status:
    code: str

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    def __str__(self) -> str:
        return self.label


def status_of(page: Any, *, published: bool | None = None, withdrawn: bool = False) -> Status:
    """The workflow status of a page. ``published`` says whether the object is public now (a
    domain knows: a response has a public copy); by default: approved and unchanged since."""
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Status(RETURNED)
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task_state = state.current_task_state
        task = task_state.task.specific if task_state is not None else None
        if task_state is not None and task_state.status == TaskState.STATUS_IN_PROGRESS:
            if isinstance(task, OrganisationApprovalTask):
                return Status(WAITING_FOR_LEAD)
            if isinstance(task, CouncilChairApprovalTask):
                return Status(WAITING_FOR_CHAIR)
            if isinstance(task, ModerationTask):
                return Status(IN_MODERATION)
        return Status(IN_MODERATION)
    if withdrawn:
        return Status(WITHDRAWN)
    if published is None:
        last = WorkflowState.objects.for_instance(page).order_by("-created_at").first()
        published = bool(last and last.status == WorkflowState.STATUS_APPROVED and not page.has_unpublished_changes)
    return Status(PUBLISHED if published else DRAFT)
