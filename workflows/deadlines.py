"""The deadline guard: an object tied to a deadline (a hearing response) cannot be submitted,
approved or published after it.

An object takes part through a small protocol, so later content types need no change here:

- it has a ``workflow_deadline()`` method returning an aware datetime (or None), or
- it has a ``hearing`` attribute (a foreign key to a hearing) whose ``deadline`` applies, or
- it is a page whose parent page has a ``child_workflow_deadline()`` method (a hearing: what is
  written under it answers to the hearing's deadline).

A hearing's own ``deadline`` is the deadline for *responses to it*, not for moderating the hearing
itself, so a hearing page is deliberately not guarded by it.
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol, runtime_checkable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page

from .exceptions import WorkflowRefused


@runtime_checkable
class HasWorkflowDeadline(Protocol):
    def workflow_deadline(self) -> datetime.datetime | None: ...


def deadline_for(obj: Any) -> datetime.datetime | None:
    if obj is None:
        return None
    specific = getattr(obj, "specific_deferred", obj)
    if isinstance(specific, HasWorkflowDeadline):
        return specific.workflow_deadline()
    hearing = getattr(specific, "hearing", None)
    if hearing is not None and isinstance(getattr(hearing, "deadline", None), datetime.datetime):
        return hearing.deadline
    if isinstance(specific, Page) and specific.depth and specific.depth > 1:
        parent = specific.get_parent()
        if parent is not None and hasattr(parent.specific_class, "child_workflow_deadline"):
            return parent.specific.child_workflow_deadline()
    return None


def is_past_deadline(obj: Any, now: datetime.datetime | None = None) -> bool:
    deadline = deadline_for(obj)
    return deadline is not None and (now or timezone.now()) >= deadline


def deadline_message(deadline: datetime.datetime) -> str:
    local = timezone.localtime(deadline)
    return _(
        "The deadline (%(deadline)s) has passed, so this can no longer be submitted, approved or published. "
        "Your draft has been kept as it was."
    ) % {"deadline": date_format(local, "DATETIME_FORMAT")}


def guard_deadline(obj: Any) -> None:
    """Raise WorkflowRefused with a translated message if the object's deadline has passed."""
    deadline = deadline_for(obj)
    if deadline is not None and timezone.now() >= deadline:
        raise WorkflowRefused(deadline_message(deadline))
