"""The page chooser, scoped like the rest of the admin (see admin_scope.py)."""

from __future__ import annotations

from wagtail import hooks

from .admin_scope import hidden_page_ids


@hooks.register("construct_page_chooser_queryset")
def hide_private_pages_in_chooser(pages, request):
    hidden = hidden_page_ids(request.user)
    # By id: the chooser's search runs the queryset through the search backend.
    return pages.exclude(pk__in=list(hidden)) if hidden else pages
