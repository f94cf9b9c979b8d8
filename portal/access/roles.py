"""Portal-wide roles as Django groups. Object-level roles (organisation lead, council chair) live
with their objects; these are the roles that span the whole portal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from .users import User, is_active_user, is_superuser

MODERATORS = "Moderators"
HEARING_OWNERS = "Hearing owners"
SITE_ADMINISTRATORS = "Site administrators"

# Codenames (app_label.codename) each role group holds. Page permissions are granted per subtree
# by the apps that own those subtrees.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    MODERATORS: ["wagtailadmin.access_admin"],
    HEARING_OWNERS: ["wagtailadmin.access_admin"],
    SITE_ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_user",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.view_group",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.view_site",
    ],
}


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups and give them their permissions; safe to run any number of times."""
    groups: dict[str, Group] = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
        groups[name] = group
    return groups


def ensure_role_groups_after_migrate(**kwargs: Any) -> None:
    ensure_role_groups()


def has_role(user: User, role: str) -> bool:
    """Holds a portal-wide role (superusers hold every role)."""
    if not is_active_user(user):
        return False
    return is_superuser(user) or Group.objects.filter(user__pk=int(user.pk or 0), name=role).exists()


def is_moderator(user: User) -> bool:
    return has_role(user, MODERATORS)


def is_hearing_owner(user: User) -> bool:
    return has_role(user, HEARING_OWNERS)
