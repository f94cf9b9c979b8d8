"""How the visibility service decides about council objects that are not pages.

- Threads: current members of the council, and portal moderators (who must read what they hide).
- Posts: as their thread, except hidden posts, whose text only moderators (portal moderators and
  the council's secretary) see; everyone else sees the notice.
- Attachments: as their post.
- Memberships: the composition is public (the council page), but a membership as an object, with
  the person's contact details, is for the council's current members.
- Documents: the collection view restrictions, and for a council's private collection the council's
  CURRENT members (dates decide at once, even before the nightly group sync).
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Exists, OuterRef, Q
from wagtail.documents import get_document_model

from portal.access.membership import COUNCIL, GroupKind, register_kind
from portal.access.roles import is_moderator
from portal.access.users import User, is_active_user
from portal.access.visibility import Policy, register_policy, restriction_admits, with_rows

from . import selectors
from .models import (
    CouncilMembership,
    CouncilMembershipQuerySet,
    CouncilPage,
    CouncilSpace,
    Post,
    PostAttachment,
    Thread,
)

# --- threads --------------------------------------------------------------------------------------


def can_view_thread(user: User, thread: Thread) -> bool:
    if not is_active_user(user):
        return False
    return is_moderator(user) or selectors.is_member(user=user, council=thread.council)


def can_moderate_thread(user: User, thread: Thread) -> bool:
    if not is_active_user(user):
        return False
    return is_moderator(user) or selectors.is_secretary(user=user, council=thread.council)


def _filter_threads(user: User, queryset: Any) -> Any:
    if not is_active_user(user):
        return queryset.none()
    if is_moderator(user):
        return queryset
    return queryset.filter(council__translation_key__in=selectors.council_keys_for(user))


# --- posts ----------------------------------------------------------------------------------------


def can_view_post(user: User, post: Post) -> bool:
    if post.is_hidden:
        return can_moderate_thread(user, post.thread)
    return can_view_thread(user, post.thread)


def _filter_posts(user: User, queryset: Any) -> Any:
    if not is_active_user(user):
        return queryset.none()
    if is_moderator(user):
        return queryset
    keys = selectors.council_keys_for(user)
    secretary_keys = set(
        CouncilMembership.objects.current()
        .filter(user=user, role=CouncilMembership.Role.SECRETARY)
        .values_list("council__translation_key", flat=True)
    )
    return queryset.filter(thread__council__translation_key__in=keys).filter(
        Q(hidden_at__isnull=True) | Q(thread__council__translation_key__in=secretary_keys)
    )


# --- memberships (contact details) ----------------------------------------------------------------


def can_view_membership_details(user: User, membership: CouncilMembership) -> bool:
    return selectors.is_member(user=user, council=membership.council)


def _filter_memberships(user: User, queryset: Any) -> Any:
    return queryset.filter(council__translation_key__in=selectors.council_keys_for(user))


# --- documents ------------------------------------------------------------------------------------


def can_view_document(user: User, document: Any) -> bool:
    attachment = PostAttachment.objects.select_related("post__thread__council").filter(document=document).first()
    if attachment is not None and not can_view_post(user, attachment.post):
        return False
    return _collection_admits(user, document.collection)


def _collection_admits(user: User, collection: Any) -> bool:
    """The collection's view restrictions admit the user, and a council space's collection (or one
    inside it) only its council's current members."""
    if not all(restriction_admits(user, r) for r in collection.get_view_restrictions().prefetch_related("groups")):
        return False
    # The space, and whether the council whose space it is exists (what selectors.council_of_collection
    # finds from the same space), in one query.
    space = (CouncilSpace.objects.filter(collection__in=collection.get_ancestors(inclusive=True))
             .annotate(has_council=Exists(CouncilPage.objects.filter(translation_key=OuterRef("council_key"))))
             .values("council_key", "has_council").first())
    if space is None:
        return True
    # A current member of that council (any language version: memberships are by translation key).
    return bool(space["has_council"]) and space["council_key"] in selectors.council_keys_for(user)


def _filter_documents(user: User, queryset: Any) -> Any:
    """The same decision as ``can_view_document`` for each document, with the attachments read in
    one query and each collection decided once (a space's documents share one collection)."""
    documents = list(queryset.select_related("collection"))
    if not documents:
        return queryset.none()
    attachments: dict[int, PostAttachment] = {}
    for attachment in (PostAttachment.objects.select_related("post__thread__council")
                       .filter(document__in=[doc.pk for doc in documents]).order_by("pk")):
        attachments.setdefault(attachment.document_id, attachment)
    collections: dict[int, bool] = {}
    allowed = []
    for document in documents:
        found = attachments.get(document.pk)
        if found is not None and not can_view_post(user, found.post):
            continue
        if document.collection_id not in collections:
            collections[document.collection_id] = _collection_admits(user, document.collection)
        if collections[document.collection_id]:
            allowed.append(document.pk)
    # The documents read above are the answer (the visibility service's further conditions and the
    # page iterate them without reading them again).
    kept = set(allowed)
    return with_rows(queryset.filter(pk__in=allowed), [doc for doc in documents if doc.pk in kept])


def register() -> None:
    register_kind(GroupKind(
        name=COUNCIL,
        page_model=CouncilPage,
        membership_model=CouncilMembership,
        page_field="council",
        lead_roles=frozenset({CouncilMembership.Role.CHAIR, CouncilMembership.Role.DEPUTY_CHAIR}),
        manager_roles=frozenset({CouncilMembership.Role.SECRETARY}),
        # Seats have periods: a past member holds no role from the day after the period ends.
        current=lambda memberships: cast(CouncilMembershipQuerySet, memberships).current(),
    ))
    register_policy(Thread, Policy(
        can_view=can_view_thread,
        can_edit=lambda user, thread: selectors.is_member(user=user, council=thread.council),
        can_moderate=can_moderate_thread,
        filter_viewable=_filter_threads,
    ))
    register_policy(Post, Policy(
        can_view=can_view_post,
        can_edit=lambda user, post: False,  # posts are not edited after posting; they are hidden
        can_moderate=lambda user, post: can_moderate_thread(user, post.thread),
        filter_viewable=_filter_posts,
    ))
    register_policy(PostAttachment, Policy(
        can_view=lambda user, attachment: can_view_post(user, attachment.post),
        can_edit=lambda user, attachment: False,
        can_moderate=lambda user, attachment: can_moderate_thread(user, attachment.post.thread),
        filter_viewable=lambda user, qs: qs.filter(post__in=_filter_posts(user, Post.objects.all())),
    ))
    register_policy(CouncilMembership, Policy(
        can_view=can_view_membership_details,
        can_edit=lambda user, membership: selectors.can_manage_members(user=user, council=membership.council),
        can_moderate=lambda user, membership: selectors.can_manage_members(user=user, council=membership.council),
        filter_viewable=_filter_memberships,
    ))
    register_policy(get_document_model(), Policy(
        can_view=can_view_document,
        can_edit=lambda user, document: False,
        filter_viewable=_filter_documents,
    ))
