"""The page chooser and explorer, scoped like the rest of the admin (see admin_scope.py)."""

from __future__ import annotations

from django.shortcuts import redirect
from wagtail import hooks

from .admin_scope import hidden_page_ids


@hooks.register("construct_page_chooser_queryset")
def hide_private_pages_in_chooser(pages, request):
    hidden = hidden_page_ids(request.user)
    # By id: the chooser's search runs the queryset through the search backend.
    return pages.exclude(pk__in=list(hidden)) if hidden else pages


@hooks.register("construct_explorer_page_queryset")
def hide_private_pages_in_explorer(parent_page, pages, request):
    hidden = hidden_page_ids(request.user)
    return pages.exclude(pk__in=list(hidden)) if hidden else pages


@hooks.register("after_edit_page")
def return_reviewers_to_their_queue(request, page):
    """After approving or rejecting in the editor, Wagtail sends the reviewer to the page's parent in
    the explorer. A reviewer from outside the organisation (a moderator) may not browse its space
    and would land on "no access" after a successful decision: send them back to the review queue
    instead, where the confirmation is shown."""
    if request.method != "POST" or not request.POST.get("action-workflow-action") or request.user.is_superuser:
        return None
    parent = page.get_parent()
    if parent is None or parent.pk not in hidden_page_ids(request.user):
        return None
    return redirect("workflows:queue")
