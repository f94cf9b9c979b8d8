"""How the visibility service decides about organisation objects that are not pages. Pages (the
space and its drafts) are decided by their view restrictions and page permissions."""

from __future__ import annotations

from typing import Any

from portal.access.membership import ORGANISATION, GroupKind, register_kind
from portal.access.users import User
from portal.access.visibility import Policy, register_policy

from . import selectors
from .models import OrganisationMembership, OrganisationPage


def _can_view_membership(user: User, membership: OrganisationMembership) -> bool:
    # Who is a member, and their contact details, is for the organisation's own members.
    return membership.organisation.translation_key in selectors.organisation_keys_for(user)


def _can_edit_membership(user: User, membership: OrganisationMembership) -> bool:
    return selectors.can_manage_members(user=user, organisation=membership.organisation)


def _filter_memberships(user: User, queryset: Any) -> Any:
    return queryset.filter(organisation__translation_key__in=selectors.organisation_keys_for(user))


def register() -> None:
    register_kind(GroupKind(
        name=ORGANISATION,
        page_model=OrganisationPage,
        membership_model=OrganisationMembership,
        page_field="organisation",
        lead_roles=frozenset({OrganisationMembership.Role.LEAD}),
        manager_roles=frozenset({OrganisationMembership.Role.LEAD}),
    ))
    register_policy(
        OrganisationMembership,
        Policy(
            can_view=_can_view_membership,
            can_edit=_can_edit_membership,
            # Moderating a membership is a lead's job (moderators do not manage organisations).
            can_moderate=_can_edit_membership,
            filter_viewable=_filter_memberships,
        ),
    )
