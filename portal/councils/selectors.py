"""Reads about councils: who sits on them now and before, who may manage them, and what is in their
private spaces. Memberships and threads are stored against one language version of the council page;
everything here looks them up by the page's translation key so every translation answers the same."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page

from portal.access import generation, membership
from portal.access.users import User, is_superuser
from portal.core.selectors import localized_pages

from .models import CouncilMembership, CouncilMembershipQuerySet, CouncilPage, CouncilSpace, Post, Thread


def source_council(page: Page) -> CouncilPage:
    """The language version memberships and threads are stored against: the default-language page
    if it exists, else the oldest translation."""
    if isinstance(page, CouncilPage) and page.locale_id == Locale.get_default().pk:
        return page  # the default-language version itself (one per translation key)
    translations = CouncilPage.objects.filter(translation_key=page.translation_key)
    default = translations.filter(locale=Locale.get_default()).first()
    return default or translations.order_by("pk").first() or page


def localized(page: Page | None) -> Page | None:
    """The page in the active language (falls back to the page itself)."""
    return page.localized if page is not None else None


# --- membership -----------------------------------------------------------------------------------


def memberships(*, council: Page) -> CouncilMembershipQuerySet:
    return CouncilMembership.objects.for_council(council).select_related("user", "organisation")


def current_memberships(*, council: Page) -> QuerySet[CouncilMembership]:
    return memberships(council=council).current()


def current_roles(*, user: User, council: Page) -> set[str]:
    return set(membership.roles(user, council))


def is_member(*, user: User, council: Page) -> bool:
    """A current member (any role). Past members and future members are not."""
    return membership.is_member(user, council)


def is_secretary(*, user: User, council: Page) -> bool:
    return membership.is_manager(user, council)


def can_manage_members(*, user: User, council: Page) -> bool:
    """The council's secretary manages its membership; so do site administrators (superusers)."""
    return is_superuser(user) or is_secretary(user=user, council=council)


def council_keys_for(user: User) -> set:
    """Translation keys of the councils this user currently sits on."""
    return membership.group_keys(user, membership.COUNCIL)


def current_member_ids(*, council: Page) -> set[int]:
    return set(current_memberships(council=council).values_list("user_id", flat=True))


def public_profile(*, council: CouncilPage) -> dict[str, Any]:
    """What the public page shows: composition (without contact details), the chain of parent
    councils up to the national one, and the councils below."""
    today = timezone.localdate()
    rows = list(memberships(council=council))
    localize_organisations(rows)
    related = generation.cached(
        "council-relation-pages", (council.pk, council.parent_council_id, get_language()),
        lambda: _related_pages(council))
    # Each request its own copies: the cached pages are shared by every request of the worker.
    chain, children = ([copy.copy(page) for page in pages] for pages in related)
    return {
        "current_members": [m for m in rows if m.is_current(today)],
        "past_members": [m for m in rows if m.has_ended(today)],
        "parent": chain[0] if chain else None,
        "parent_chain": chain,
        "children": children,
    }


def _related_pages(council: CouncilPage) -> tuple[list[CouncilPage], list[CouncilPage]]:
    """The live councils above this one (nearest first) and below it, in the active language; like
    the ids, they change only with content, so the pages are kept per content generation too."""
    chain_ids, children_ids = _relations(council)
    pages = CouncilPage.objects.live().in_bulk([*chain_ids, *children_ids]) if chain_ids or children_ids else {}
    return [pages[pk] for pk in chain_ids if pk in pages], [pages[pk] for pk in children_ids if pk in pages]


def _relations(council: CouncilPage) -> tuple[list[int], list[int]]:
    """Ids of the live councils above this one (nearest first) and below it, in the active language:
    they change only with content (a publish, a move, another parent council), so they are kept per
    content generation and the pages read in one query (not one per step up the chain)."""
    chain: list[int] = []
    parent = council.parent_council
    seen = {council.translation_key}
    while parent is not None and parent.translation_key not in seen and len(chain) < 5:
        seen.add(parent.translation_key)
        if parent.live:
            chain.append(parent.localized.pk)
        parent = parent.parent_council
    children = localized_pages(
        CouncilPage.objects.live().filter(parent_council__translation_key=council.translation_key).order_by("title")
    )
    return chain, [child.pk for child in children]


def localize_organisations(rows: list[CouncilMembership]) -> None:
    """Set ``localized_organisation`` on each membership: the represented organisation in the
    reader's language, for all rows at once (no query per row)."""
    organisations = localized_pages(m.organisation for m in rows if m.organisation)
    by_key = {organisation.translation_key: organisation for organisation in organisations}
    for row in rows:
        organisation = row.organisation
        row.localized_organisation = by_key.get(organisation.translation_key) if organisation else None




# --- the space ------------------------------------------------------------------------------------


def space_of(*, council: Page) -> CouncilSpace | None:
    return CouncilSpace.objects.filter(council_key=council.translation_key).select_related(
        "members", "collection"
    ).first()


def council_of_collection(collection_id: int) -> CouncilPage | None:
    """The council whose private collection this is (or an ancestor of), if any."""
    from wagtail.models import Collection

    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is None:
        return None
    spaces = CouncilSpace.objects.filter(collection__in=collection.get_ancestors(inclusive=True))
    space = spaces.first()
    if space is None:
        return None
    return CouncilPage.objects.filter(translation_key=space.council_key).order_by("pk").first()


def _council_threads(council: Page) -> QuerySet[Thread]:
    # The council along: whether the reader may see a thread is decided by its council.
    return Thread.objects.filter(council__translation_key=council.translation_key).select_related("author", "council")


def threads(*, council: Page) -> QuerySet[Thread]:
    """The council's threads, each with its number of posts (``post_count``) counted by the database:
    the list shows only how many replies there are."""
    return _council_threads(council).annotate(post_count=Count("posts"))


def thread_in(*, council: Page, thread_id: int) -> Thread | None:
    """Only this council's threads: an id from another council is "not found". Its posts are read
    by ``posts()`` (with their authors and attachments), not prefetched here."""
    return _council_threads(council).filter(pk=thread_id).first()


def posts(*, thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author", "hidden_by").prefetch_related("attachments__document")


def internal_documents(*, council: Page) -> QuerySet:
    """Documents in the council's private collection that are not attachments of posts."""
    space = space_of(council=council)
    Document = get_document_model()
    if space is None:
        return Document.objects.none()
    return (
        Document.objects.filter(collection=space.collection)
        .filter(council_attachment__isnull=True)
        .order_by("-created_at", "title")
    )


def thread_followers_to_notify(*, thread: Thread, exclude: Any | None = None) -> list[Any]:
    """Followers who are current members with an e-mail address: past members hear nothing."""
    members = current_member_ids(council=thread.council)
    followers = thread.followers.filter(is_active=True, pk__in=members).exclude(email="")
    if exclude is not None:
        followers = followers.exclude(pk=exclude.pk)
    return list(followers.order_by("pk"))
