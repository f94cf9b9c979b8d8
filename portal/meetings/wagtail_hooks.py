"""The minutes in Wagtail's admin: their own audit-log actions, and a snippet registration so the
admin's workflow screens (dashboard "awaiting your review", workflow reports, the workflow editor's
content types) know them.

Council members work on minutes on the public site, where every view asks the council's rules. The
admin's snippet views check model permissions only (no per-council check), so no group can be given
them: only site administrators reach minutes in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.access.users import User

from .models import CIRCULATE, CORRECT, Minutes


@hooks.register("register_log_actions")
def register_log_actions(registry: Any) -> None:
    registry.register_action(CIRCULATE, _("Circulate for comments"), _("circulated for comments"))
    registry.register_action(CORRECT, _("Correct"), _("corrected"))


class AdministratorsOnly(BasePermissionPolicy):
    """Every admin action on minutes is for active superusers only."""

    def user_has_permission(self, user: User, action: str) -> bool:
        return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))

    def user_has_any_permission(self, user: User, actions: Any) -> bool:
        return self.user_has_permission(user, "")

    def users_with_any_permission(self, actions: Any) -> Any:
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action: str) -> Any:
        return self.users_with_any_permission([action])


register_permission_policy(Minutes, AdministratorsOnly(Minutes), exact_class=True)


class MinutesViewSet(SnippetViewSet):
    model = Minutes
    icon = "doc-full"
    menu_label = _("Minutes")
    list_display = ["__str__", "live"]
    copy_view_enabled = False  # one set of minutes per meeting: a copy could never be saved
    panels = [
        FieldPanel("meeting", read_only=True),
        FieldPanel("correction_note"),
        InlinePanel("entries", heading=_("Minutes"), label=_("minutes entry"),
                    panels=[FieldPanel("agenda_item", read_only=True), FieldPanel("discussion"),
                            FieldPanel("conclusion")]),
    ]


register_snippet(MinutesViewSet)
