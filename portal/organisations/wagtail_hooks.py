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
