"""How the visibility service decides about the hearing objects that are not pages. The draft
response itself is a page in the organisation's space (its view restriction decides)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import membership
from portal.access.grants import has_grant
from portal.access.users import User
from portal.access.visibility import Policy, can_edit_page, register_policy
from portal.organisations.models import OrganisationPage

from . import selectors
from .models import CoSignature, PublishedResponse, ResponseInput, released_q


def _keys(user: User) -> set:
    return {m.organisation.translation_key for m in selectors.memberships(user)}


def _can_view_published(user: User, published: PublishedResponse) -> bool:
    """Released by the hearing's policy and not withdrawn: anyone. Before release: the hearing
    owners and the organisation's own members. Withdrawn: the organisation only (the owners'
    bundles leave it out too; the hearing page keeps a dated marker)."""
    if published.organisation.translation_key in _keys(user):
        return True
    if published.withdrawn_at is not None:
        return False
    return selectors.may_see_all_responses(user) or (published.hearing.live and published.is_released())


def _filter_published(user: User, queryset: Any) -> Any:
    own = Q(organisation__translation_key__in=_keys(user))
    if selectors.may_see_all_responses(user):
        return queryset.filter(Q(withdrawn_at__isnull=True) | own)
    public = Q(withdrawn_at__isnull=True, hearing__live=True) & released_q()
    return queryset.filter(public | own)


def _can_edit_published(user: User, published: PublishedResponse) -> bool:
    return membership.is_lead(user, published.organisation)


def _can_view_input(user: User, item: ResponseInput) -> bool:
    umbrella = membership.organisation_of(item.response)
    keys = _keys(user)
    return item.organisation.translation_key in keys or (umbrella is not None and umbrella.translation_key in keys)


def _filter_inputs(user: User, queryset: Any) -> Any:
    """Inputs sent by the user's organisations, and inputs to drafts in their organisations' spaces."""
    keys = _keys(user)
    condition = Q(organisation__translation_key__in=keys)
    for path in OrganisationPage.objects.filter(translation_key__in=keys).values_list("path", flat=True):
        condition |= Q(response__path__startswith=path)
    return queryset.filter(condition)


def _can_edit_input(user: User, item: ResponseInput) -> bool:
    return can_edit_page(user, item.response)


def _can_view_signature(user: User, signature: CoSignature) -> bool:
    """The asking organisation's members; and, while the request is pending or approved, whoever holds
    its per-object grant (the asked organisation's leads). A decline revokes the grant, and the state
    is checked as well, so a declined request shows its draft to nobody outside the asking organisation."""
    umbrella = membership.organisation_of(signature.response)
    if umbrella is not None and umbrella.translation_key in _keys(user):
        return True
    if signature.state not in (CoSignature.State.REQUESTED, CoSignature.State.APPROVED):
        return False
    return has_grant(user, "hearings.read_shared_draft", signature)


def register() -> None:
    register_policy(PublishedResponse, Policy(
        can_view=_can_view_published, can_edit=_can_edit_published, can_moderate=_can_edit_published,
        filter_viewable=_filter_published,
    ))
    register_policy(ResponseInput, Policy(
        can_view=_can_view_input, can_edit=_can_edit_input, filter_viewable=_filter_inputs,
    ))
    register_policy(CoSignature, Policy(
        can_view=_can_view_signature,
        can_edit=lambda user, signature: membership.is_lead(user, signature.organisation),
    ))
