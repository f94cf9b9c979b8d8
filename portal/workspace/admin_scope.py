"""The Wagtail admin, scoped for the people who keep it (issue #17 finding 4).

Moderators and hearing owners keep ``/admin/``; organisation and council members work on the portal.
Wagtail's admin is built for one trusted team: its tree-wide listings (page search, the admin API's
``child_of``/``descendant_of``/``search``/detail, site history, the workflow reports, usage listings
per page type, dashboard panels, explorer) all start from the page permission policy's
``explorable_instances`` / ``instances_user_has_*permission_for``. Rather than patch each view, the
policy itself leaves out every page inside an organisation's space the user does not belong to,
except a draft waiting in a workflow step they act on right now (a moderator sees the draft in
their moderation task, and only while it is there). Views naming one page by id are refused by
``portal.organisations.admin_guard``; the chooser and explorer hooks there apply the same rule.
"""

from __future__ import annotations

from typing import Any

import swapper
from wagtail.models import AbstractPage, Page, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from portal.organisations.selectors import hidden_space_paths
from workflows.owners import subtree_q
from workflows.selectors import reviewable_task_states


def reviewing_page_ids(user: Any) -> set[int]:
    """Pages waiting in a step this user may decide now."""
    states = reviewable_task_states(user).filter(status=TaskState.STATUS_IN_PROGRESS)
    return {int(pk) for pk in states.values_list("workflow_state__object_id", flat=True) if str(pk).isdigit()}


def hidden_page_ids(user: Any) -> set[int]:
    """Pages the admin must not list for this user: everything inside the spaces of organisations
    they are not a member of, minus what waits for their decision. Empty for site administrators."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return set()
    paths = hidden_space_paths(user)
    if not paths:
        return set()
    hidden = set(Page.objects.filter(subtree_q(paths)).values_list("pk", flat=True))
    return hidden - reviewing_page_ids(user) if hidden else hidden


class ScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with other organisations' spaces left out of every "which pages"
    answer (permission checks on one page are unchanged: the admin guard refuses those)."""

    def _scoped(self, user: Any, pages: Any) -> Any:
        hidden = hidden_page_ids(user)
        # By id, not by path: searches run the queryset through the search backend, which honours
        # an id filter but not a ``path__startswith`` exclusion.
        return pages.exclude(pk__in=list(hidden)) if hidden else pages

    def explorable_instances(self, user: Any) -> Any:
        return self._scoped(user, super().explorable_instances(user))

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> Any:
        return self._scoped(user, super().instances_user_has_any_permission_for(user, actions))

    def instances_user_has_permission_for(self, user: Any, action: Any) -> Any:
        return self._scoped(user, super().instances_user_has_permission_for(user, action))


def install() -> None:
    """Register the scoped policy for every page type (called from the app's ready())."""
    page_model = swapper.get_model_name("wagtailcore", "Page")
    policy_registry.register(AbstractPage, value=ScopedPagePermissionPolicy(page_model))
