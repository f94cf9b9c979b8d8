"""Make Wagtail's page serving ask the visibility service, which also covers translations and
aliases of private pages (Wagtail only checks the page's own ancestors)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .visibility import can_view_page


@hooks.register("before_serve_page")
def refuse_private_page(page, request, serve_args, serve_kwargs):
    if can_view_page(request.user, page):
        # Every restriction covering the page (its ancestors', its translations' and its original's)
        # admits this reader, so Wagtail's own check (its on_serve_page hook, which asks
        # ``get_view_restrictions`` and then each restriction's groups: two or more queries on every
        # page) would admit them too: tell it there is nothing left to check for this page object.
        page.get_view_restrictions = _nothing_left_to_check
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _nothing_left_to_check() -> list:
    return []
