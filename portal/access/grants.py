"""Per-object grants that must end with a state (django-guardian): a co-sign invitation lets the
asked organisation's leads read one draft until they decline; an invitation to an organisation or a
council lets the account with the invited address accept it until it is answered, revoked or expires.

Only object grants count here: ``accept_global_perms`` is never used, because a model-wide
permission (what Wagtail's group editor hands out) would otherwise open every row. The visibility
policies of the models concerned call :func:`has_grant`; revoking is one call (:func:`revoke_all`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from .users import User


def grant(permission: str, obj: Any, *, group: Group | None = None, user: User | None = None) -> None:
    """Give ``permission`` ("app_label.codename") on this one object to the group's members or to one user."""
    holder = group if group is not None else user
    if holder is None:
        raise ValueError("grant() needs a group or a user")
    assign_perm(permission, holder, obj)


def revoke_all(permission: str, obj: Any) -> None:
    """End every grant of ``permission`` on this object, to groups and to single users alike."""
    codename = permission.split(".", 1)[-1]
    for model in (get_group_obj_perms_model(obj), get_user_obj_perms_model(obj)):
        if model._default_manager.is_generic():  # type: ignore[attr-defined]  # guardian's generic tables: content type and primary key
            rows = model._default_manager.filter(content_type=ContentType.objects.get_for_model(obj),
                                                 object_pk=str(obj.pk))
        else:  # a direct per-model table (co-signatures): a real foreign key
            rows = model._default_manager.filter(content_object=obj)
        rows.filter(permission__codename=codename).delete()


def has_grant(user: User, permission: str, obj: Any) -> bool:
    """Whether the user, directly or through a group, holds this per-object grant. Model-wide
    permissions and superuser status do not count: the caller decides about superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    codename = permission.split(".", 1)[-1]
    checker = ObjectPermissionChecker(user)
    return codename in checker.get_user_perms(obj) or codename in checker.get_group_perms(obj)
