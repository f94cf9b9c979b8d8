"""How the visibility service decides about the hearing objects that are not pages. The draft
response itself is a page in the organisation's space (its view restriction decides)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import membership
from portal.access.visibility import Policy, can_edit_page, register_policy
from portal.organisations.models import OrganisationPage

from . import selectors
from .models import CoSignature, PublishedResponse, ResponseInput, released_q


def _keys(user: Any) -> set:
    return {m.organisation.translation_key for m in selectors.memberships(user)}


def _can_view_published(user: Any, published: PublishedResponse) -> bool:
    """Released by the hearing's policy and not withdrawn: anyone. Before release: the hearing
    owners and the organisation's own members."""
    if selectors.may_see_all_responses(user) or published.organisation.translation_key in _keys(user):
        return True
    return published.withdrawn_at is None and published.hearing.live and published.is_released()


def _filter_published(user: Any, queryset: Any) -> Any:
    if selectors.may_see_all_responses(user):
        return queryset
    public = Q(withdrawn_at__isnull=True, hearing__live=True) & released_q()
    return queryset.filter(public | Q(organisation__translation_key__in=_keys(user)))


def _can_edit_published(user: Any, published: PublishedResponse) -> bool:
    return membership.is_lead(user, published.organisation)


def _can_view_input(user: Any, item: ResponseInput) -> bool:
    umbrella = membership.organisation_of(item.response)
    keys = _keys(user)
    return item.organisation.translation_key in keys or (umbrella is not None and umbrella.translation_key in keys)


def _filter_inputs(user: Any, queryset: Any) -> Any:
    """Inputs sent by the user's organisations, and inputs to drafts in their organisations' spaces."""
    keys = _keys(user)
    condition = Q(organisation__translation_key__in=keys)
    for path in OrganisationPage.objects.filter(translation_key__in=keys).values_list("path", flat=True):
        condition |= Q(response__path__startswith=path)
    return queryset.filter(condition)


def _can_edit_input(user: Any, item: ResponseInput) -> bool:
    return can_edit_page(user, item.response)


def _can_view_signature(user: Any, signature: CoSignature) -> bool:
    umbrella = membership.organisation_of(signature.response)
    keys = _keys(user)
    return signature.organisation.translation_key in keys or (umbrella is not None and umbrella.translation_key in keys)


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
