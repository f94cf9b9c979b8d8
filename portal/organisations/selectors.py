"""Reads about organisations: who belongs, who leads, where the space is. Memberships are stored
against one language version of the organisation page; everything here looks them up by the page's
translation key so every translation answers the same."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from wagtail.models import Locale, Page

from portal.access import generation, membership
from portal.access.users import User, is_active_user, is_superuser
from portal.access.visibility import can_edit_page, can_view_page, viewable_pages

from .models import (
    OrganisationDraftPage,
    OrganisationMembership,
    OrganisationPage,
    OrganisationSpacePage,
)


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


def membership_of(*, user: User, organisation: Page) -> OrganisationMembership | None:
    if not is_active_user(user):
        return None
    return memberships(organisation=organisation).filter(user=user).first()


def is_member(*, user: User, organisation: Page) -> bool:
    return membership.is_member(user, organisation)


def is_lead(*, user: User, organisation: Page) -> bool:
    return membership.is_lead(user, organisation)


def can_manage_members(*, user: User, organisation: Page) -> bool:
    """Leads manage their organisation's members; so do superusers (site administrators)."""
    return is_superuser(user) or is_lead(user=user, organisation=organisation)


def can_see_members(*, user: User, organisation: Page) -> bool:
    return is_superuser(user) or is_member(user=user, organisation=organisation)


def organisation_keys_for(user: User) -> set:
    """Translation keys of the organisations this user is a member of."""
    return membership.group_keys(user, membership.ORGANISATION)


def lead_count(*, organisation: Page) -> int:
    return memberships(organisation=organisation).filter(role=OrganisationMembership.Role.LEAD).count()




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


def _spaces_by_organisation(keys: frozenset[Any]) -> dict[Any, list[OrganisationSpacePage]]:
    parents = dict(OrganisationPage.objects.filter(translation_key__in=keys).values_list("path", "translation_key"))
    if not parents:
        return {}
    query = Q(pk__in=[])
    for path in parents:
        query |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    found: dict[Any, list[OrganisationSpacePage]] = {}
    for space in OrganisationSpacePage.objects.filter(query).order_by("path"):
        found.setdefault(parents[space.path[: -Page.steplen]], []).append(space)
    return found


def spaces_by_organisation(keys: set[Any]) -> dict[Any, list[OrganisationSpacePage]]:
    """The spaces (every language) of the organisations with these translation keys, by key. Where
    an organisation's spaces are is content, the same for every reader: two queries once per content
    generation; each caller gets its own copies of the pages."""
    if not keys:
        return {}
    wanted = frozenset(keys)
    digest = hashlib.sha256(",".join(sorted(str(key) for key in wanted)).encode()).hexdigest()
    found = generation.cached("organisation-spaces", (digest,), lambda: _spaces_by_organisation(wanted))
    return {key: [copy.copy(space) for space in spaces] for key, spaces in found.items()}


def hidden_space_paths(user: User) -> list[str]:
    """Tree paths of the spaces (every language) of organisations this user is NOT a member of:
    the subtrees the Wagtail admin must keep from them. Empty for site administrators."""
    if is_superuser(user):
        return []
    keys = organisation_keys_for(user)
    organisation_keys = dict(OrganisationPage.objects.values_list("path", "translation_key"))
    return [
        path for path in OrganisationSpacePage.objects.values_list("path", flat=True)
        if organisation_keys.get(path[: -Page.steplen]) not in keys
    ]


def drafts_in_space(*, space: OrganisationSpacePage, user: User) -> list[Page]:
    """Drafts in the space, in every language version of it (a draft is often written in one
    language only), preferring the translation in the space's own language. Live ones for every member
    (the space is restricted to them), unpublished ones only for those who may edit them; each
    shown with the title its latest revision has."""
    spaces = OrganisationSpacePage.objects.filter(translation_key=space.translation_key)
    query = Q(pk__in=[])
    for each in spaces:
        query |= Q(path__startswith=each.path, depth=each.depth + 1)
    candidates = Page.objects.filter(query).specific().order_by("-latest_revision_created_at", "title")
    by_key: dict[Any, Page] = {}
    for page in candidates:
        current = by_key.get(page.translation_key)
        if current is None or (page.locale_id == space.locale_id and current.locale_id != space.locale_id):
            by_key[page.translation_key] = page
    drafts = []
    # Newest work first (the queryset's order, kept by the dict).
    for page in by_key.values():
        if can_edit_page(user, page) or (page.live and can_view_page(user, page)):
            # Members work on unpublished revisions: show the title they last saved (Wagtail keeps
            # the latest revision's title in ``draft_title``: no revision is loaded for it).
            page.display_title = (page.draft_title or page.title) if page.has_unpublished_changes else page.title
            drafts.append(page)
    return drafts


def published_by(*, organisation: Page, user: User) -> list[Page]:
    """What the organisation has published, for its public page, newest first, in the page's
    language where a translation exists. Filled by the sources later issues register with
    :func:`register_publications` (position papers, submitted hearing responses). Every item goes
    through the visibility service, and nothing inside an organisation space is ever listed,
    whatever a source returns."""
    space_paths = list(OrganisationSpacePage.objects.values_list("path", flat=True))
    by_key: dict[Any, Page] = {}
    for source in _publication_sources.values():
        for page in viewable_pages(user, source(organisation)).specific():
            if isinstance(page, OrganisationDraftPage) or any(page.path.startswith(p) for p in space_paths):
                continue
            # One entry per item: the translation in the organisation page's language if there is one.
            current = by_key.get(page.translation_key)
            if current is None or (page.locale_id == organisation.locale_id and current.locale_id != page.locale_id):
                by_key[page.translation_key] = page
    return sorted(
        by_key.values(),
        key=lambda page: (page.first_published_at is not None, page.first_published_at, page.pk),
        reverse=True,
    )


# name -> callable(organisation page) returning a queryset of pages the organisation published.
PublicationSource = Callable[[Page], QuerySet[Page]]
_publication_sources: dict[str, PublicationSource] = {}


def register_publications(name: str, source: PublicationSource) -> None:
    """The hook later issues fill, e.g. in their app's ``ready()``::

        register_publications("position papers", lambda organisation: PositionPaperPage.objects.filter(
            organisation__translation_key=organisation.translation_key))

    The source may return pages in any language and need not filter by visibility or liveness:
    :func:`published_by` does both. Registering the same name again replaces the source."""
    _publication_sources[name] = source


def unregister_publications(name: str) -> None:
    _publication_sources.pop(name, None)
