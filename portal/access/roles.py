"""Portal-wide roles as Django groups. Object-level roles (organisation lead, council chair) live
with their objects; these are the roles that span the whole portal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from . import generation
from .users import User, group_names, is_active_user, is_superuser

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
    return is_superuser(user) or role in group_names(user).values()


def is_moderator(user: User) -> bool:
    return has_role(user, MODERATORS)


def is_hearing_owner(user: User) -> bool:
    return has_role(user, HEARING_OWNERS)


# Roles whose holders can publish, approve for the whole portal or manage people: their sign-in
# needs a second factor (portal/security/two_factor.py, settings.PORTAL_TWO_FACTOR_REQUIRED).
TWO_FACTOR_ROLES = (MODERATORS, HEARING_OWNERS, SITE_ADMINISTRATORS)


def requires_second_factor(user: User) -> bool:
    if not is_active_user(user):
        return False
    return is_superuser(user) or bool(set(TWO_FACTOR_ROLES) & set(group_names(user).values()))


def _admin_group_ids() -> frozenset[int]:
    return frozenset(
        Group.objects.filter(permissions__content_type__app_label="wagtailadmin",
                             permissions__codename="access_admin").values_list("pk", flat=True)
    )


def may_use_admin(user: User) -> bool:
    """Whether the person may open the Wagtail admin through a group (or as a superuser), decided
    from their groups (read once per request) and the groups holding the admin permission (read once
    per content generation): the page header asks on every page, and everyone else's answer must
    not cost the two permission queries Wagtail's own check makes."""
    if not is_active_user(user):
        return False
    if is_superuser(user):
        return True
    return bool(set(group_names(user)) & generation.cached("admin-groups", (), _admin_group_ids))
