"""Publication of a position paper is the approval of its workflow (organisation lead, then
moderator): that is when the public copy is made. A plain publication inside the space (members
reading a shared draft) is not, so we listen to ``workflow_approved`` (sent after the finish action
has published the approved revision), as hearing responses do. Unpublishing withdraws the copy."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_unpublished, workflow_approved

from portal.access.users import User


def _copy_approved(sender: Any, instance: Any, user: User | None = None, **kwargs: Any) -> None:
    from .actions import publish_copy
    from .models import PositionPaperPage

    page = getattr(instance.content_object, "specific", instance.content_object)
    if isinstance(page, PositionPaperPage):
        publish_copy(paper=page)


def _withdraw_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .actions import withdraw_copy

    withdraw_copy(paper=instance)


def connect() -> None:
    from .models import PositionPaperPage

    workflow_approved.connect(_copy_approved, dispatch_uid="positions_copy_approved")
    page_unpublished.connect(_withdraw_unpublished, sender=PositionPaperPage, dispatch_uid="positions_withdraw")
