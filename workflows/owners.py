"""Which organisation or council owns a page: the nearest ancestor (inclusive) of that kind.

Resolved from the page tree, not from the page type, so any page under an organisation (its public
profile, its private space, drafts in that space) belongs to it, whatever those pages are called.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from wagtail.models import Page

from portal.councils import selectors as council_selectors
from portal.councils.models import CouncilMembership, CouncilPage
from portal.organisations import selectors as organisation_selectors
from portal.organisations.models import OrganisationMembership, OrganisationPage

# Objects that are not pages but go through a workflow (minutes): model -> the field naming the page
# that places them in the tree. Their owner is that page's owner.
_anchors: dict[type, str] = {}


def register_anchor(model: type, page_field: str) -> None:
    """Let a non-page model take part in our workflows: ``page_field`` names its page (e.g. the
    minutes' meeting), whose place in the tree decides who approves. Call from an app's ``ready()``."""
    _anchors[model] = page_field


def anchored_models() -> dict[type, str]:
    return dict(_anchors)


def anchor_page(obj: Any) -> Page | None:
    """The page that places ``obj`` in the tree: the page itself, or a registered object's page."""
    if isinstance(obj, Page):
        return obj
    for model, field in _anchors.items():
        if isinstance(obj, model):
            return getattr(obj, field, None)
    return None


def ancestor_paths(page: Page) -> list[str]:
    """The treebeard paths of the page and all its ancestors, nearest last."""
    step = Page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def _nearest(model: type[Page], page: Page | None) -> Any:
    if page is None or not getattr(page, "path", None):
        return None
    # One query: every ancestor of that type, nearest (deepest) first.
    return model.objects.filter(path__in=ancestor_paths(page)).order_by("-depth").first()


def owning_organisation(page: Page | None) -> OrganisationPage | None:
    return _nearest(OrganisationPage, page)


def owning_council(page: Page | None) -> CouncilPage | None:
    return _nearest(CouncilPage, page)


def owner_of(page: Page | None) -> Page | None:
    """The organisation or council owning the page, for display (moderation queue, e-mails)."""
    return owning_organisation(page) or owning_council(page)


def is_owner_member(user: Any, page: Page | None) -> bool:
    """A current member of the organisation or council owning the page (their own selectors decide)."""
    if page is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    organisation = owning_organisation(page)
    if organisation is not None:
        return organisation_selectors.is_member(user=user, organisation=organisation)
    council = owning_council(page)
    return council is not None and council_selectors.is_member(user=user, council=council)


def is_organisation_lead(user: Any, organisation: OrganisationPage | None) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return OrganisationMembership.objects.filter(
        organisation__translation_key=organisation.translation_key,
        user=user,
        role=OrganisationMembership.Role.LEAD,
    ).exists()


def organisation_leads(organisation: OrganisationPage | None) -> list[Any]:
    if organisation is None:
        return []
    memberships = OrganisationMembership.objects.filter(
        organisation__translation_key=organisation.translation_key,
        role=OrganisationMembership.Role.LEAD,
        user__is_active=True,
    ).select_related("user")
    return [membership.user for membership in memberships]


CHAIR_ROLES = (CouncilMembership.Role.CHAIR, CouncilMembership.Role.DEPUTY_CHAIR)


def is_council_chair(user: Any, council: CouncilPage | None) -> bool:
    """Current chair or deputy chair: a past chair no longer approves anything."""
    if council is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        CouncilMembership.objects.for_council(council).current().filter(user=user, role__in=CHAIR_ROLES).exists()
    )


def council_chairs(council: CouncilPage | None) -> list[Any]:
    if council is None:
        return []
    memberships = (
        CouncilMembership.objects.for_council(council).current()
        .filter(role__in=CHAIR_ROLES, user__is_active=True).select_related("user")
    )
    return [membership.user for membership in memberships]


def subtree_q(paths: list[str], field: str = "path") -> Q:
    """Pages at or under any of the given paths (empty list: nothing)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition
