"""Instance checks for organisation spaces in the Wagtail admin.

Members get admin access for their own space, and Wagtail's page permissions already refuse them
the edit view of another organisation's drafts. But several admin views only check that the user
has *some* page permission and then show any page's title: the explorer and chooser of any page,
bulk-action confirmations, move confirmations, the page-types report (WAGTAIL-NOTES, "View
restrictions do not limit the Wagtail admin"). Rather than patch each view, every admin request
naming a page inside another organisation's space is refused here, before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from wagtail.models import Page

from . import selectors

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
    values = [view_kwargs.get(name) for name in names]
    if view_kwargs.get("app_label") == "wagtailcore" and view_kwargs.get("model_name") == "page":
        # Bulk actions name their pages in the query string; editing sessions in ``object_id``.
        values += request.GET.getlist("id") + request.POST.getlist("id") + [view_kwargs.get("object_id")]
    return {int(value) for value in values if str(value or "").isdigit()}


def _reviewing(user: Any, page: Page) -> bool:
    """A reviewer (the organisation's lead, a moderator) whose workflow task is on this page may
    open it although they are not a member."""
    task = getattr(page.specific_deferred, "current_workflow_task", None)
    return task is not None and bool(task.specific.user_can_access_editor(page.specific_deferred, user))


def may_see_in_admin(user: Any, page: Page, hidden_paths: list[str] | None = None) -> bool:
    hidden_paths = selectors.hidden_space_paths(user) if hidden_paths is None else hidden_paths
    if not any(page.path.startswith(path) for path in hidden_paths):
        return True
    return _reviewing(user, page)


class SpaceAdminGuardMiddleware:
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
            if selectors.hidden_space_paths(user):
                raise PermissionDenied
            return None
        ids = page_ids_named(request, view_kwargs)
        if not ids:
            return None
        hidden = selectors.hidden_space_paths(user)
        if not hidden:
            return None
        for page in Page.objects.filter(pk__in=ids):
            if not may_see_in_admin(user, page, hidden):
                raise PermissionDenied
        return None
