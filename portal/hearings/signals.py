"""Acceptance of a response is the approval of its workflow (organisation lead, then moderator):
that is when the public copy is made. A plain publication inside the space is not acceptance."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import workflow_approved

from portal.access.users import User


@receiver(workflow_approved)
def copy_accepted_response(sender: Any, instance: Any, user: User | None = None, **kwargs: Any) -> None:
    from .actions import publish_copy
    from .models import HearingResponsePage

    page = instance.content_object
    specific = getattr(page, "specific", page)
    if isinstance(specific, HearingResponsePage):
        publish_copy(response=specific)


def _grant_on_index_save(sender: Any, instance: Any, raw: bool = False, created: bool = False, **kwargs: Any) -> None:
    if raw or not created:
        return
    from .actions import grant_hearing_owners

    grant_hearing_owners(index=instance)


def connect() -> None:
    from .models import HearingIndexPage

    post_save.connect(_grant_on_index_save, sender=HearingIndexPage, dispatch_uid="hearings_grant_owners")
