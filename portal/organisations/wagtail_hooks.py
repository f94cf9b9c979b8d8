"""Keep other organisations' spaces out of the admin's page lists (chooser, explorer); single-page
admin views are guarded by ``admin_guard.SpaceAdminGuardMiddleware``."""

from __future__ import annotations

from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page

from . import selectors


def _without_hidden_spaces(pages, request):
    hidden = selectors.hidden_space_paths(request.user)
    if not hidden:
        return pages
    inside = Q()
    for path in hidden:
        inside |= Q(path__startswith=path)
    # By id rather than by path: the chooser's search runs the queryset through the search backend,
    # which does not honour a ``path__startswith`` exclusion.
    return pages.exclude(id__in=list(Page.objects.filter(inside).values_list("id", flat=True)))


@hooks.register("construct_page_chooser_queryset")
def hide_other_spaces_in_chooser(pages, request):
    return _without_hidden_spaces(pages, request)


@hooks.register("construct_explorer_page_queryset")
def hide_other_spaces_in_explorer(parent_page, pages, request):
    return _without_hidden_spaces(pages, request)


@hooks.register("after_edit_page")
def return_reviewers_to_their_queue(request, page):
    """After approving or rejecting in the editor, Wagtail sends the reviewer to the page's parent in
    the explorer. A reviewer from outside the organisation (a moderator) may not browse its space
    and would land on "no access" after a successful decision: send them back to the review queue
    instead, where the confirmation is shown."""
    from django.shortcuts import redirect

    from .admin_guard import may_see_in_admin

    if request.method != "POST" or not request.POST.get("action-workflow-action") or request.user.is_superuser:
        return None
    parent = page.get_parent()
    if parent is None or may_see_in_admin(request.user, parent):
        return None
    return redirect("workflows:queue")
