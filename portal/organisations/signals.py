"""Keep groups, spaces and restrictions in step whatever path a change takes: the public-site
actions, the Wagtail admin, wagtail-localize, page copies, or a shell."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import OrganisationGroups, OrganisationMembership, OrganisationPage, OrganisationSpacePage


@receiver(page_published, sender=OrganisationPage)
def create_space_on_publish(sender: Any, instance: OrganisationPage, **kwargs: Any) -> None:
    from .actions import ensure_space

    ensure_space(organisation=instance)


@receiver(post_save, sender=OrganisationSpacePage)
def secure_space_on_save(sender: Any, instance: OrganisationSpacePage, raw: bool = False, **kwargs: Any) -> None:
    """Every save, including the first one of a translation or a copy, leaves the space restricted
    to its organisation's members (Wagtail copies do not copy privacy settings)."""
    if raw:
        return
    from .actions import secure_space

    secure_space(space=instance)


def _sync_for(organisation_id: int) -> None:
    from .actions import sync_groups

    organisation = OrganisationPage.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        sync_groups(organisation=organisation)


@receiver(post_save, sender=OrganisationMembership)
def sync_groups_on_membership_save(sender: Any, instance: OrganisationMembership, raw: bool = False,
                                   **kwargs: Any) -> None:
    if not raw:
        _sync_for(instance.organisation_id)


@receiver(post_delete, sender=OrganisationMembership)
def sync_groups_on_membership_delete(sender: Any, instance: OrganisationMembership, **kwargs: Any) -> None:
    _sync_for(instance.organisation_id)


@receiver(post_delete, sender=OrganisationPage)
def drop_groups_with_last_translation(sender: Any, instance: OrganisationPage, **kwargs: Any) -> None:
    """When the last language version of an organisation goes, its groups (and the rights they
    carry) go too, rather than lingering with members in them."""
    if OrganisationPage.objects.filter(translation_key=instance.translation_key).exists():
        return
    groups = OrganisationGroups.objects.filter(organisation_key=instance.translation_key).first()
    if groups is not None:
        members, leads = groups.members, groups.leads
        groups.delete()
        members.delete()
        leads.delete()
