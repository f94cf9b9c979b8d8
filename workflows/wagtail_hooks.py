"""The workflow rules inside Wagtail's admin: our history actions are known to the audit log,
nobody submits, approves or publishes past a deadline, and nobody publishes around moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import actions
from .deadlines import deadline_for, deadline_message
from .models import ModerationTask, ModeratorScope, PortalTask

# Buttons of Wagtail's page editor that move a page on (submit, resubmit, approve/reject, publish).
MOVING_ACTIONS = ("action-submit", "action-restart-workflow", "action-workflow-action", "action-publish")


@hooks.register("register_log_actions")
def register_log_actions(registry: Any) -> None:
    registry.register_action(actions.WITHDRAWN, gettext_lazy("Withdraw"), gettext_lazy("Withdrawn"))
    registry.register_action(actions.HIDDEN, gettext_lazy("Hide"), gettext_lazy("Hidden"))


@hooks.register("before_edit_page")
def keep_draft_after_deadline(request: Any, page: Any) -> Any:
    """Past the deadline, a submit/approve/publish from the editor becomes a plain save: the text
    the person typed is kept as a draft revision, and they are told why nothing else happened."""
    if request.method != "POST" or not any(request.POST.get(name) for name in MOVING_ACTIONS):
        return None
    deadline = deadline_for(page.get_latest_revision_as_object())
    if deadline is None or timezone.now() < deadline:
        return None
    post = request.POST.copy()
    for name in MOVING_ACTIONS:
        post.pop(name, None)
    request.POST = post
    messages.error(request, deadline_message(deadline))
    return None


@hooks.register("before_publish_page")
def refuse_publishing_around_moderation(request: Any, page: Any) -> Any:
    """Where a workflow with moderation applies, only a moderator who may moderate that page
    publishes directly; elsewhere in a portal workflow only a site administrator does. Everyone
    else submits. The revision the editor just saved is kept."""
    user = request.user
    flow = page.get_workflow()
    if flow is None or user.is_superuser:
        return None
    tasks = [task.specific for task in flow.tasks.filter(active=True)]
    if not any(isinstance(task, PortalTask) for task in tasks):
        return None
    moderation = next((task for task in tasks if isinstance(task, ModerationTask)), None)
    if moderation is not None and moderation.user_can_review(page, user):
        deadline = deadline_for(page)
        if deadline is None or timezone.now() < deadline:
            return None
    messages.error(request, _("This must be approved before it is published. Your changes were saved as a draft."))
    return redirect("wagtailadmin_pages:edit", page.pk)


class QueueMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        from .selectors import reviewable_task_states

        return reviewable_task_states(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_queue_menu_item() -> MenuItem:
    # Lazy: the public-site URL carries the language prefix of whoever opens the menu.
    return QueueMenuItem(
        gettext_lazy("Waiting for approval"), reverse_lazy("workflows:queue"), icon_name="tasks", order=150
    )


class ModeratorScopeViewSet(SnippetViewSet):
    """Site administrators limit a moderator to sections here (model permissions: superusers,
    or a group an administrator grants them to)."""

    model = ModeratorScope
    icon = "user"
    menu_label = gettext_lazy("Moderator sections")
    add_to_settings_menu = True
    list_display = ["user", "section"]
    panels = [FieldPanel("user"), FieldPanel("section")]


register_snippet(ModeratorScopeViewSet)
