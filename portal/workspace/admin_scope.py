"""The Wagtail admin, scoped for the people who keep it (issue #17 finding 4).

Moderators and hearing owners keep ``/admin/``; organisation and council members work on the portal.
Wagtail's admin is built for one trusted team: its tree-wide listings (page search, the admin API's
``child_of``/``descendant_of``/``search``/detail, site history, the workflow reports, usage listings
per page type, dashboard panels, explorer) all start from the page permission policy's
``explorable_instances`` / ``instances_user_has_*permission_for``. Rather than patch each view, the
policy itself leaves out every page inside an organisation's space the user does not belong to,
except a draft waiting in a workflow step they act on right now (a moderator sees the draft in
their moderation task, and only while it is there). Meetings of councils the user does not sit on
are left out the same way (their editor shows confidential agenda items). Views naming one page by
id are refused by :class:`AdminScopeMiddleware` (the one admin guard; it replaced the
organisations' own space guard, which asked the same question of a subset), the page chooser and
explorer by hooks (wagtail_hooks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import swapper
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from wagtail.models import AbstractPage, Page, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from portal.access.membership import subtree_q
from portal.access.users import User
from portal.access.visibility import refused_pages_q
from portal.councils.models import CouncilMembership, CouncilPage
from portal.meetings.models import MeetingPage
from portal.organisations.selectors import hidden_space_paths
from workflows.selectors import reviewable_task_states

# URL keyword arguments that name a page in Wagtail's page admin views.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Reports that show the title of any page in the tree (the last edited page of each type).
TREE_WIDE_REPORTS = {"wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results"}


def page_ids_named(request: HttpRequest, view_kwargs: dict[str, Any]) -> set[int]:
    """The ids of the pages an admin request names (in its URL, or a bulk action's query)."""
    match = request.resolver_match
    names = list(PAGE_ID_KWARGS)
    if match is not None and "wagtailadmin_pages" in match.namespaces:
        names.append("pk")  # the revisions comparison names its page "pk"
    values: list[Any] = [view_kwargs.get(name) for name in names]
    if view_kwargs.get("app_label") == "wagtailcore" and view_kwargs.get("model_name") == "page":
        # Bulk actions name their pages in the query string; editing sessions in ``object_id``.
        values += request.GET.getlist("id") + request.POST.getlist("id") + [view_kwargs.get("object_id")]
    return {int(value) for value in values if str(value or "").isdigit()}


def reviewing_page_ids(user: User) -> set[int]:
    """Pages waiting in a step this user may decide now."""
    states = reviewable_task_states(user).filter(
        status=TaskState.STATUS_IN_PROGRESS, workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
    )
    return {int(pk) for pk in states.values_list("workflow_state__object_id", flat=True) if str(pk).isdigit()}


def _meetings_of_other_councils(user: User) -> Q:
    """Meeting pages of councils the user does not sit on now: any of them may carry a confidential
    agenda item (in its text or in a draft revision), which the admin's editor would show."""
    mine = CouncilMembership.objects.current().filter(user=user).values("council__translation_key")
    others = CouncilPage.objects.exclude(translation_key__in=mine).only("path")
    return Q(pk__in=MeetingPage.objects.filter(subtree_q([council.path for council in others])).values("pk"))


def hidden_page_ids(user: User) -> set[int]:
    """Pages the admin must not show this user: everything inside the spaces of organisations they
    are not a member of (with every translation and alias of those pages), the meetings of
    councils they do not sit on, and every page a view restriction refuses them (a council's
    internal pages: the site would not show them either), minus what waits for their decision.
    Empty for site administrators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_superuser:
        return set()
    paths = hidden_space_paths(user)
    private = (
        (subtree_q(paths) if paths else Q(pk__in=[])) | _meetings_of_other_councils(user) | refused_pages_q(user)
    )
    keys = Page.objects.filter(private).values("translation_key")
    hidden = set(
        Page.objects.filter(private | Q(translation_key__in=keys) | Q(alias_of__translation_key__in=keys))
        .values_list("pk", flat=True)
    )
    return hidden - reviewing_page_ids(user) if hidden else hidden


class AdminScopeMiddleware:
    """Refuses an admin view naming a page the user may not see there (its editor, history,
    revisions, preview, usage...), whatever the page permissions say: a moderator's site-wide edit
    permission does not open a meeting with confidential items or another organisation's draft."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]):
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TREE_WIDE_REPORTS:
            # Wagtail's page-types report names the last edited page of each type, wherever it is.
            if hidden_space_paths(user):
                raise PermissionDenied
            return None
        ids = page_ids_named(request, view_kwargs)
        if ids and ids & hidden_page_ids(user):
            raise PermissionDenied
        return None


class ScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with other organisations' spaces left out of every "which pages"
    answer (permission checks on one page are unchanged: the admin guard refuses those)."""

    def _scoped(self, user: User, pages: Any) -> Any:
        hidden = hidden_page_ids(user)
        # By id, not by path: searches run the queryset through the search backend, which honours
        # an id filter but not a ``path__startswith`` exclusion.
        return pages.exclude(pk__in=list(hidden)) if hidden else pages

    def explorable_instances(self, user: User) -> Any:
        return self._scoped(user, super().explorable_instances(user))

    def instances_user_has_any_permission_for(self, user: User, actions: Any) -> Any:
        return self._scoped(user, super().instances_user_has_any_permission_for(user, actions))

    def instances_user_has_permission_for(self, user: User, action: Any) -> Any:
        return self._scoped(user, super().instances_user_has_permission_for(user, action))


def install() -> None:
    """Register the scoped policy for every page type (called from the app's ready())."""
    page_model = swapper.get_model_name("wagtailcore", "Page")
    policy_registry.register(AbstractPage, value=ScopedPagePermissionPolicy(page_model))
