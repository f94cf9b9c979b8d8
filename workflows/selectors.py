"""Reads: an object's workflow history, what waits for a moderator, a person's notifications."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import registry as log_registry
from wagtail.models import AbstractGroupApprovalTask, Page, Task, TaskState

from portal.access import generation
from portal.access.membership import group_of, is_member
from portal.access.users import User, group_names, stamp
from portal.access.visibility import can_edit, can_moderate, can_view, restriction_admits, restrictions_covering

from . import links
from .actions import HIDDEN, WITHDRAWN
from .models import Notification, PortalTask
from .owners import anchor_page

# Audit-log actions that are workflow transitions, with the label the history shows.
TRANSITIONS: dict[str, Any] = {
    "wagtail.workflow.start": _("Submitted for approval"),
    "wagtail.workflow.resume": _("Resubmitted after changes"),
    "wagtail.workflow.approve": _("Approved"),
    "wagtail.workflow.reject": _("Changes requested"),
    "wagtail.workflow.cancel": _("Submission cancelled"),
    "wagtail.publish": _("Published"),
    "wagtail.publish.scheduled": _("Published"),
    "wagtail.unpublish": _("Unpublished"),
    WITHDRAWN: _("Withdrawn"),
    HIDDEN: _("Hidden"),
}


SUBMISSIONS = ("wagtail.workflow.start",)

# What a public reader of a public object's history sees: that it was submitted, published,
# unpublished or withdrawn, and when. Never who (staff names), never why (a moderator's reason for
# requesting changes is an internal comment), never the internal steps (approvals, rejections).
PUBLIC_TRANSITIONS = (
    "wagtail.workflow.start", "wagtail.publish", "wagtail.publish.scheduled", "wagtail.unpublish", WITHDRAWN,
)

# A page in a private space is "published" when it is made, so its members can open it there: that
# is not the publication a reader of the history thinks of, which follows the last approval.
SHARED_IN_SPACE = _("Created in the private space")
UPDATED_IN_SPACE = _("Updated in the private space")


@dataclass(frozen=True)
class HistoryEntry:
    action: str
    label: str
    step: str
    user: str
    timestamp: datetime.datetime
    comment: str


def _display_name(user: User | None) -> str:
    if user is None:
        return str(_("the system"))
    return (getattr(user, "get_full_name", lambda: "")() or user.get_username())


def current_task(obj: Any) -> Task | None:
    """The task the object waits in, if it waits in one."""
    state = getattr(obj, "current_workflow_state", None)
    task_state = state.current_task_state if state is not None else None
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    return task_state.task.specific


def is_reviewer(user: User, obj: Any) -> bool:
    """The user may act on the task the object currently waits in."""
    task = current_task(obj)
    return isinstance(task, PortalTask) and task.user_can_review(obj, user)


def may_see_history(user: User, obj: Any) -> bool:
    """Those who may see the object see its history; so does whoever reviews it right now (a
    moderator reviewing an organisation's draft, which is otherwise closed to them). A page in a
    private space also needs the space's view restrictions to admit the reader: an edit permission
    from the root (Wagtail's default Moderators group) opens drafts to edit, not other
    organisations' histories once their review is over."""
    if obj is None:
        return False
    if is_reviewer(user, obj):
        return True
    if isinstance(obj, Page) and not all(restriction_admits(user, r) for r in restrictions_covering(obj)):
        return False
    return can_view(user, obj)


def sees_full_history(user: User, obj: Any) -> bool:
    """Members keep the full history (who, which step, every comment): those who may edit the
    object, its reviewers and moderators, the current members of the organisation or council that
    owns it, and everyone who may see an object that is not public (only members may). Anyone else
    reading a public object's history is a public reader."""
    if can_edit(user, obj) or is_reviewer(user, obj) or can_moderate(user, obj):
        return True
    if is_member(user, group_of(anchor_page(obj))):
        return True
    return can_view(user, obj) and not can_view(AnonymousUser(), obj)


def may_read(user: User, obj: Any) -> bool:
    """Whether a notification about ``obj`` may reach this person now: they may see the page (a
    draft in an organisation's space only while they are a member), or review it in a step they act
    on. A non-page object (minutes) is work in progress: only those who may edit it or review it,
    even after it is published (the notification carries the internal comment)."""
    if obj is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if isinstance(obj, Page):
        return can_view(user, obj) or is_reviewer(user, obj)
    return can_edit(user, obj) or is_reviewer(user, obj)


def object_url(page: Any, *, task_state: TaskState | None = None, user: User | None = None) -> str:
    """Where the recipient acts on the object, always on the portal (never the admin): the object's
    own workflow page if it has one (minutes), the reviewer's comparison for a step waiting for
    them, the page itself when it is live (a draft in the organisation's space), else the
    recipient's workspace."""
    waiting_for_them = (
        task_state is not None and task_state.status == TaskState.STATUS_IN_PROGRESS and isinstance(page, Page)
        and (user is None or is_reviewer(user, page))
    )
    # A step waiting for this reviewer: where they decide (the portal editor's review page for the
    # drafts it edits, which shows the comparison too).
    review = links.review_url(page) if waiting_for_them else None
    if review:
        return review
    custom = getattr(page, "get_workflow_url", None)
    if callable(custom):
        return custom()
    if waiting_for_them and task_state is not None:
        return reverse("workflows:compare", args=[task_state.pk])
    if isinstance(page, Page) and page.live and page.url:
        return page.url
    return reverse("workspace:home")


def history_for(obj: Any, user: User) -> list[HistoryEntry]:
    """Every workflow transition of the object, oldest first — empty for anyone who may not see it,
    and only the public transitions, without names or comments, for public readers."""
    if not may_see_history(user, obj):
        return []
    if not sees_full_history(user, obj):
        return _public_history(obj)
    entries = list(
        log_registry.get_logs_for_instance(obj)
        .filter(action__in=list(TRANSITIONS))
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    task_names = _task_type_names()
    in_private_space = isinstance(obj, Page) and bool(restrictions_covering(obj))
    history = []
    for position, entry in enumerate(entries):
        following = entries[position + 1] if position + 1 < len(entries) else None
        if (
            entry.action == "wagtail.workflow.cancel" and following is not None
            and following.action == WITHDRAWN and following.user_id == entry.user_id
        ):
            # A withdrawal cancels the workflow and then records its reason: show it once.
            continue
        data = entry.data or {}
        workflow = data.get("workflow") or {}
        # A submission names the step it went to; an approval or rejection the step it decided.
        task = (workflow.get("next") if entry.action in SUBMISSIONS else workflow.get("task")) or {}
        label = TRANSITIONS[entry.action]
        if in_private_space and entry.action == "wagtail.publish" and (
            position == 0 or entries[position - 1].action != "wagtail.workflow.approve"
        ):
            label = SHARED_IN_SPACE if position == 0 else UPDATED_IN_SPACE
        history.append(
            HistoryEntry(
                action=entry.action,
                label=str(label),
                step=str(task_names.get(task.get("id") or 0, task.get("title") or "")),
                user=_display_name(entry.user),
                timestamp=entry.timestamp,
                comment=str(data.get("comment") or ""),
            )
        )
    return history


def _public_history(obj: Any) -> list[HistoryEntry]:
    entries = (
        log_registry.get_logs_for_instance(obj).filter(action__in=list(PUBLIC_TRANSITIONS)).order_by("timestamp", "pk")
    )
    return [
        HistoryEntry(action=entry.action, label=str(TRANSITIONS[entry.action]), step="", user="",
                     timestamp=entry.timestamp, comment="")
        for entry in entries
    ]


def _task_type_names() -> dict[int, str]:
    """Task ids → translated name of their type, so history reads in the reader's language."""
    def compute() -> dict[int, str]:
        names = {}
        for task in Task.objects.all().specific():
            names[task.pk] = str(task.get_verbose_name()) if isinstance(task, PortalTask) else task.name
        return names

    # Once per content generation and language (workflow tasks advance the generation), not one
    # query per task type on every page that shows a history.
    return generation.cached("task-type-names", (get_language(),), compute)


@dataclass(frozen=True)
class QueueItem:
    task_state: TaskState
    page: Page
    title: str
    step: str
    waiting_since: datetime.datetime
    submitted_by: str
    owner: Page | None
    compare_url: str
    edit_url: str


def _load_active_tasks() -> list[Task]:
    return list(Task.objects.filter(active=True).specific())


def active_tasks() -> list[Task]:
    """The active workflow tasks, once per content generation (tasks are watched by it): the header
    asks on every signed-in page how many submissions wait for the reader."""
    return generation.cached("active-tasks", (), _load_active_tasks)


def _task_group_ids(task: AbstractGroupApprovalTask) -> frozenset[int]:
    """The groups whose members decide a group approval task, once per content generation (a change
    of a task's groups advances it)."""
    return generation.cached("task-groups", (task.pk,), lambda: frozenset(task.groups.values_list("id", flat=True)))


def reviewable_task_states(user: User) -> Any:
    """In-progress task states this user may act on, one query per task type-instance (our tasks
    decide per object with a page filter, never one task per organisation)."""
    states = TaskState.objects.none()
    for task in active_tasks():
        if (isinstance(task, AbstractGroupApprovalTask) and not getattr(user, "is_superuser", False)
                and not _task_group_ids(task) & set(group_names(user))):
            # Wagtail's group approval gives such a person nothing; it would ask the database so.
            continue
        states = states | task.get_task_states_user_can_moderate(user=user)
    return states


def waiting_review_count(user: User) -> int:
    """Shown in the header of every signed-in page: kept per person, content generation, the person's
    stamp (groups, memberships) and the workflow stamp (any task or workflow state saved), so most
    pages read it from the cache instead of asking every active task (a query or two each)."""
    if user is None or not user.is_authenticated:
        return 0
    key = f"portal-waiting:{user.pk}:{generation.current()}:{stamp(user.pk)}:{workflow_stamp()}"
    count = cache.get(key)
    if count is None:
        count = reviewable_task_states(user).filter(status=TaskState.STATUS_IN_PROGRESS).count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return int(count)


WORKFLOW_STAMP_KEY = "portal-workflow-stamp"


def workflow_stamp() -> str:
    return str(cache.get(WORKFLOW_STAMP_KEY) or "0")


def workflow_changed(**_kwargs: Any) -> None:
    """Any task or workflow state saved or deleted: every cached waiting count is out of date."""
    cache.set(WORKFLOW_STAMP_KEY, uuid.uuid4().hex, None)


def moderation_queue(user: User) -> list[QueueItem]:
    """Everything waiting for this user, oldest first."""
    states = (
        reviewable_task_states(user)
        .filter(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("workflow_state__requested_by", "revision", "task")
        .order_by("started_at", "pk")
    )
    items = []
    for state in states:
        obj = state.workflow_state.content_object
        if isinstance(obj, Page):
            obj = obj.specific
            portal_review = links.review_url(obj)
            if portal_review:
                # Decided on the portal (the editor's review page shows the comparison itself).
                page, edit_url, compare = obj, portal_review, ""
            else:
                page, edit_url, compare = obj, reverse("wagtailadmin_pages:edit", args=[obj.pk]), compare_url(state)
        else:
            # An object with its own workflow page on the public site (minutes): the reviewer reads
            # the submitted text and decides there.
            page = anchor_page(obj)
            custom = getattr(obj, "get_workflow_url", None)
            if page is None or not callable(custom):
                continue
            edit_url, compare = custom(), ""
        items.append(
            QueueItem(
                task_state=state,
                page=page,
                title=state.revision.object_str or str(obj),
                step=str(state.task.specific.get_verbose_name()),
                waiting_since=state.started_at,
                submitted_by=_display_name(state.workflow_state.requested_by),
                owner=_localized(group_of(page)),
                compare_url=compare,
                edit_url=edit_url,
            )
        )
    return items


def _localized(page: Page | None) -> Page | None:
    return page.localized if page is not None else None


def compare_url(task_state: TaskState) -> str:
    """Our comparison of the submitted revision with the last published version. Wagtail's own
    compare view demands a page permission reviewers (moderators) do not hold."""
    return reverse("workflows:compare", args=[task_state.pk])


@dataclass(frozen=True)
class Comparison:
    label: str
    diff: Any


def comparison(task_state: TaskState, request: Any) -> list[Comparison]:
    """Field-by-field differences between the last published version and the submitted revision
    (against an empty page when nothing has been published yet)."""
    page = task_state.workflow_state.content_object.specific
    submitted = task_state.revision.as_object()
    live_revision = page.live_revision
    published = live_revision.as_object() if live_revision is not None else type(page)()
    panel = type(page).get_edit_handler().get_bound_panel(instance=page, request=request, form=None)
    changes = []
    for compare_class in panel.get_comparison():
        diff = compare_class(published, submitted)
        if diff.has_changed():
            html = _child_changes(diff) if getattr(diff, "is_child_relation", False) else _semantic(diff.htmldiff())
            changes.append(Comparison(label=str(diff.field_label()), diff=html))
    return changes


@dataclass(frozen=True)
class ChildChange:
    state: str  # "added", "removed" or "changed"
    fields: list[tuple[str, Any]]


def _child_changes(relation: Any) -> Any:
    """An inline list (a hearing's sections, a response's parts) has no diff of its own: show each
    item that was added, removed or changed, with its fields. Unchanged items are left out."""
    from django.template.loader import render_to_string

    items = []
    for child in relation.get_child_comparisons():
        if child.is_addition():
            state, tag = "added", "ins"
        elif child.is_deletion():
            state, tag = "removed", "del"
        elif child.has_changed():
            state, tag = "changed", ""
        else:
            continue
        fields = []
        for field in child.get_field_comparisons():
            html = _semantic(field.htmldiff())
            # An added or removed item is compared with itself: mark its whole text instead.
            fields.append((str(field.field_label()), mark_safe(f"<{tag}>{html}</{tag}>") if tag else html))  # noqa: S308
        items.append(ChildChange(state=state, fields=fields))
    return render_to_string("workflows/includes/child_changes.html", {"items": items})


def _semantic(html: str) -> Any:
    """Wagtail marks changes with styled spans; <del>/<ins> also tell screen readers what changed."""
    html = re.sub(r'<span class="deletion">(.*?)</span>', r"<del>\1</del>", str(html), flags=re.S)
    html = re.sub(r'<span class="addition">(.*?)</span>', r"<ins>\1</ins>", html, flags=re.S)
    return mark_safe(html)  # noqa: S308 - Wagtail's escaped diff, only its own tags renamed


def reviewable_task_state(user: User, task_state_id: int) -> TaskState | None:
    """The in-progress task state, if this user may review it."""
    state = (
        TaskState.objects.filter(pk=task_state_id, status=TaskState.STATUS_IN_PROGRESS)
        .select_related("task", "workflow_state", "revision").first()
    )
    if state is None:
        return None
    task = state.task.specific
    page = state.workflow_state.content_object
    if not isinstance(task, PortalTask) or not isinstance(page, Page):
        return None
    return state if task.user_can_review(page.specific, user) else None


def notifications_for(user: User, *, limit: int = 100) -> list[Notification]:
    """The person's notifications, newest first, each about something they may still see: access is
    checked again now, so a notification about an organisation or council the person has left (a
    chair's reason for sending minutes back, a draft's title) is no longer listed at all."""
    if not user.is_authenticated:
        return []
    rows = (
        Notification.objects.filter(user=user)
        .select_related("page", "object_type", "task_state")[: limit * 2]
    )
    shown = []
    for notification in rows:
        if may_read(user, notification.subject):
            shown.append(notification)
        if len(shown) >= limit:
            break
    return shown


def notification_for(user: User, notification_id: int) -> Notification | None:
    """One of the person's own notifications, if they may still see what it is about."""
    notification = (
        Notification.objects.filter(user=user, pk=notification_id).select_related("page", "task_state").first()
        if user.is_authenticated else None
    )
    if notification is None or not may_read(user, notification.subject):
        return None
    return notification


def notification_target(notification: Notification, user: User) -> str:
    """Where opening the notification leads now, on the portal."""
    return object_url(notification.subject, task_state=notification.task_state if not notification.is_done else None,
                      user=user)


def unread_count(user: User) -> int:
    """Unread notifications the person may still open (the header's count matches the list)."""
    if not user.is_authenticated:
        return 0
    # Kept per person, content generation and the person's stamp (their notifications, groups and
    # memberships), so the header costs a cache read on most pages; a few minutes bound what no
    # signal announces (an object's state deciding whether they may still read about it).
    # Today's date is part of the key: a seat that ends by date (no save, no signal) ends the count
    # of what it let the person read from that day on.
    key = f"portal-unread:{user.pk}:{generation.current()}:{stamp(user.pk)}:{timezone.localdate().isoformat()}"
    count = cache.get(key)
    if count is None:
        count = sum(1 for notification in notifications_for(user) if notification.read_at is None)
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return int(count)


UNREAD_COUNT_SECONDS = 300
