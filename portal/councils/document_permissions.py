"""Wagtail admin permissions on documents, with councils' private collections carved out.

Wagtail's default groups (its "Moderators" group is also the portal's moderator role) hold add /
change / choose document permissions on the root collection, and collection permissions propagate
downwards: without this policy a portal moderator could list, open and replace a council's
internal documents in the admin. Here a council's private collection (and anything below it) is
only ever reachable in the admin for superusers and the council's CURRENT members; everything
else is Wagtail's own collection-ownership policy unchanged."""

from __future__ import annotations

from typing import Any

from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from portal.access.users import User


def foreign_council_collection_paths(user: User) -> list[str]:
    """Tree paths of the private collections of councils this user does not currently sit on."""
    from .models import CouncilSpace
    from .selectors import council_keys_for

    return list(
        CouncilSpace.objects.exclude(council_key__in=council_keys_for(user)).values_list("collection__path", flat=True)
    )


class CouncilAwareDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    def _check_perm(self, user: User, actions: Any, collection: Any = None) -> bool:
        if collection is not None and user.is_authenticated and not user.is_superuser:
            if any(collection.path.startswith(path) for path in foreign_council_collection_paths(user)):
                return False
        return super()._check_perm(user, actions, collection=collection)

    def _collections_with_perm(self, user: User, actions: Any):
        collections = super()._collections_with_perm(user, actions)
        if user.is_authenticated and not user.is_superuser:
            for path in foreign_council_collection_paths(user):
                collections = collections.exclude(path__startswith=path)
        return collections


def register() -> None:
    """Called from AppConfig.ready. ``exact_class=True`` takes precedence over the policy
    wagtail.documents registers (without it) in its own ready(), which runs after ours."""
    from wagtail.documents import get_document_model, get_document_model_string
    from wagtail.permissions import register_permission_policy

    register_permission_policy(
        get_document_model(),
        CouncilAwareDocumentPermissionPolicy(
            get_document_model_string(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
