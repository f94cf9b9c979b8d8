"""Keep each council's members group in step with its current memberships whatever path a change
takes (public-site actions, the Wagtail admin, a shell), and give every published council its
private space."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import CouncilMembership, CouncilPage


def _sync_for(council_id: int) -> None:
    from .actions import sync_groups

    council = CouncilPage.objects.filter(pk=council_id).first()
    if council is not None:
        sync_groups(council=council)


@receiver(post_save, sender=CouncilMembership)
def sync_groups_on_membership_save(sender: Any, instance: CouncilMembership, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _sync_for(instance.council_id)


@receiver(post_delete, sender=CouncilMembership)
def sync_groups_on_membership_delete(sender: Any, instance: CouncilMembership, **kwargs: Any) -> None:
    _sync_for(instance.council_id)


@receiver(page_published, sender=CouncilPage)
def ensure_space_on_publish(sender: Any, instance: CouncilPage, **kwargs: Any) -> None:
    from .actions import ensure_space

    ensure_space(council=instance)
