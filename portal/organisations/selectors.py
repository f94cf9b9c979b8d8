"""Reads about organisations: who belongs, who leads, where the space is. Memberships are stored
against one language version of the organisation page; everything here looks them up by the page's
translation key so every translation answers the same."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.models import Locale, Page

from .models import (
    OrganisationDraftPage,
    OrganisationMembership,
    OrganisationPage,
    OrganisationSpacePage,
)


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def source_organisation(page: OrganisationPage) -> OrganisationPage:
    """The language version memberships are stored against: the default-language page if it exists,
    else the oldest translation (an organisation first created in another language)."""
    translations = OrganisationPage.objects.filter(translation_key=page.translation_key)
    default = translations.filter(locale=Locale.get_default()).first()
    return default or translations.order_by("pk").first() or page


def memberships(*, organisation: Page) -> QuerySet[OrganisationMembership]:
    return (
        OrganisationMembership.objects.filter(organisation__translation_key=organisation.translation_key)
        .select_related("user")
        .order_by("-role", "user__last_name", "user__first_name", "user__username")
    )


def membership_of(*, user: Any, organisation: Page) -> OrganisationMembership | None:
    if not _authenticated(user):
        return None
    return memberships(organisation=organisation).filter(user=user).first()


def is_member(*, user: Any, organisation: Page) -> bool:
    return membership_of(user=user, organisation=organisation) is not None


def is_lead(*, user: Any, organisation: Page) -> bool:
    membership = membership_of(user=user, organisation=organisation)
    return membership is not None and membership.role == OrganisationMembership.Role.LEAD


def can_manage_members(*, user: Any, organisation: Page) -> bool:
    """Leads manage their organisation's members; so do superusers (site administrators)."""
    if not _authenticated(user):
        return False
    return bool(user.is_superuser) or is_lead(user=user, organisation=organisation)


def can_see_members(*, user: Any, organisation: Page) -> bool:
    if not _authenticated(user):
        return False
    return bool(user.is_superuser) or is_member(user=user, organisation=organisation)


def organisation_keys_for(user: Any) -> set:
    """Translation keys of the organisations this user is a member of."""
    if not _authenticated(user):
        return set()
    return set(
        OrganisationMembership.objects.filter(user=user).values_list("organisation__translation_key", flat=True)
    )


def lead_count(*, organisation: Page) -> int:
    return memberships(organisation=organisation).filter(role=OrganisationMembership.Role.LEAD).count()


def find_user(identifier: str) -> list[Any]:
    """Users matching a username or an e-mail address exactly (case-insensitive), active only."""
    identifier = identifier.strip()
    if not identifier:
        return []
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True).filter(
            Q(**{f"{User.USERNAME_FIELD}__iexact": identifier}) | Q(email__iexact=identifier)
        )[:2]
    )


def space_for(*, organisation: Page) -> OrganisationSpacePage | None:
    """The organisation's space in the same language as ``organisation``."""
    return OrganisationSpacePage.objects.child_of(organisation).first()


def spaces_of(*, organisation: Page) -> QuerySet[OrganisationSpacePage]:
    """The organisation's space in every language."""
    parents = OrganisationPage.objects.filter(translation_key=organisation.translation_key)
    query = Q(pk__in=[])
    for parent in parents:
        query |= Q(path__startswith=parent.path, depth=parent.depth + 1)
    return OrganisationSpacePage.objects.filter(query)


def drafts_in_space(*, space: OrganisationSpacePage, user: Any) -> list[Page]:
    """Drafts in the space this user may see: live ones for every member (the space is restricted to
    them), unpublished ones only for those who may edit them (shown with their latest title)."""
    from portal.access.visibility import can_edit_page, can_view_page

    drafts = []
    for page in Page.objects.child_of(space).specific().order_by("-latest_revision_created_at", "title"):
        if can_edit_page(user, page) or (page.live and can_view_page(user, page)):
            # Members work on unpublished revisions: show the title they last saved.
            latest = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
            page.display_title = latest.title
            drafts.append(page)
    return drafts


def published_by(*, organisation: Page, user: Any) -> list[Page]:
    """What the organisation has published, for its public page. Position papers and hearing
    responses (later issues) are added here; drafts in the space are never included, and every item
    goes through the visibility service."""
    from portal.access.visibility import viewable_pages

    published: list[Page] = []
    # Later issues register their page types (position papers, submitted hearing responses) here.
    for model in PUBLISHED_PAGE_TYPES:
        queryset = model.objects.filter(locale=organisation.locale)
        queryset = queryset.filter(**{PUBLISHED_PAGE_TYPES[model]: organisation.translation_key})
        published.extend(viewable_pages(user, queryset).specific())
    # Never list anything from inside a space, whatever a later registration says.
    space_paths = list(OrganisationSpacePage.objects.values_list("path", flat=True))
    return [
        page for page in published
        if not isinstance(page, OrganisationDraftPage) and not any(page.path.startswith(p) for p in space_paths)
    ]


# Page model -> lookup from the page to its organisation's translation key, e.g.
# {PositionPaperPage: "organisation__translation_key"}. Filled by later issues.
PUBLISHED_PAGE_TYPES: dict[type[Page], str] = {}
