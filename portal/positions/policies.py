"""How the visibility service decides about public copies of position papers (the draft itself is
a page in the organisation's space: its view restriction decides). A copy is public until it is
withdrawn; a withdrawn copy is seen only by site administrators."""

from __future__ import annotations

from typing import Any

from portal.access.users import User
from portal.access.visibility import Policy, register_policy

from .models import PublishedPositionPaper


def _is_admin(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _can_view(user: User, paper: PublishedPositionPaper) -> bool:
    return paper.withdrawn_at is None or _is_admin(user)


def _filter(user: User, queryset: Any) -> Any:
    return queryset if _is_admin(user) else queryset.filter(withdrawn_at__isnull=True)


def _can_edit(user: User, paper: PublishedPositionPaper) -> bool:
    # Changes go through the draft and its workflow; the copy itself is never edited by hand.
    return _is_admin(user)


def register() -> None:
    register_policy(PublishedPositionPaper, Policy(can_view=_can_view, can_edit=_can_edit, filter_viewable=_filter))
