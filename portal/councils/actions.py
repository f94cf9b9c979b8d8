"""Rules that change councils: membership (and the group that carries members' access), the private
space (group, document collection and its view restriction), threads, posts, attachments, hiding
and internal documents. Every function checks who acts; ``actor=None`` means the system (demo
loader, management command)."""

from __future__ import annotations

import datetime
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page

from portal.access.roles import is_moderator
from portal.access.users import User, as_account
from portal.security.sanitising import has_text, sanitise_post_body

from . import notifications, selectors
from .models import CouncilMembership, CouncilPage, CouncilSpace, Post, PostAttachment, Thread
from .uploads import check_upload

MAX_ATTACHMENTS_PER_POST = 5
MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 20_000
MAX_REASON_LENGTH = 1_000


class SpaceError(ValidationError):
    """Bad input for the space or its membership; the message is translated and safe to show."""


# --- the space ------------------------------------------------------------------------------------


def _free_group_name(name: str, *, current: Group | None = None) -> str:
    """``name``, or ``name (2)``...: we never adopt an existing group by name, it could have members."""
    candidate, number = name, 1
    while Group.objects.filter(name=candidate).exclude(pk__in=[current.pk] if current else []).exists():
        number += 1
        candidate = f"{name} ({number})"
    return candidate


@transaction.atomic
def ensure_space(*, council: Page) -> CouncilSpace:
    """The council's members group and private document collection, created if missing, with the
    collection's view restriction to that group (re-applied every time: a restriction someone
    widened or removed in the admin is put back)."""
    source = selectors.source_council(council)
    space = selectors.space_of(council=source)
    label = source.title[:100]
    if space is None:
        group = Group.objects.create(name=_free_group_name(f"{label} – medlemmer"))
        collection = Collection.get_first_root_node().add_child(name=f"{label} – internt")
        space = CouncilSpace.objects.create(council_key=source.translation_key, members=group, collection=collection)
    restrictions = CollectionViewRestriction.objects.filter(collection=space.collection)
    restriction = restrictions.filter(restriction_type=CollectionViewRestriction.GROUPS).first()
    restrictions.exclude(pk=getattr(restriction, "pk", None)).delete()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=space.collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    restriction.groups.set([space.members])
    return space


@transaction.atomic
def sync_groups(*, council: Page) -> CouncilSpace:
    """Make the members group exactly the council's current members: called after every membership
    change (actions and signals) and daily by the task workers (tasks.py) for periods that end by date."""
    space = ensure_space(council=council)
    space.members.user_set.set(selectors.current_member_ids(council=council))
    return space


def sync_all_groups() -> int:
    councils = {page.translation_key: page for page in CouncilPage.objects.order_by("pk")}
    for council in councils.values():
        sync_groups(council=council)
    return len(councils)


# --- membership -----------------------------------------------------------------------------------


def _check_manager(actor: User | None, council: Page) -> None:
    if actor is not None and not selectors.can_manage_members(user=actor, council=council):
        raise PermissionDenied(_("Only the council's secretary can manage its members."))


def _check_role(role: str) -> None:
    if role not in CouncilMembership.Role.values:
        raise SpaceError(_("Choose a valid role."), code="invalid_role")


@transaction.atomic
def membership_add(
    *, council: Page, user: User, role: str = CouncilMembership.Role.MEMBER, organisation: Page | None = None,
    start: datetime.date | None = None, actor: User | None = None,
) -> CouncilMembership:
    """Give ``user`` a seat from ``start`` (today by default). When the period has begun they may use
    the space at once (group sync in the same transaction) and are told by e-mail after commit."""
    _check_manager(actor, council)
    _check_role(role)
    if not user.is_active:
        raise SpaceError(_("That account is deactivated."), code="inactive_user")
    today = timezone.localdate()
    start = start or today
    existing = (
        selectors.memberships(council=council).filter(user=user).filter(Q(end__isnull=True) | Q(end__gte=today)).first()
    )
    if existing is not None:
        raise SpaceError(
            _("%(user)s already has a seat on this council.") % {"user": user.get_full_name() or user.get_username()},
            code="already_member",
        )
    membership = CouncilMembership.objects.create(
        council=selectors.source_council(council), user=user, role=role, start=start,
        organisation=organisation,
    )
    sync_groups(council=council)
    notifications.member_added_on_commit(membership=membership)
    return membership


@transaction.atomic
def membership_end(*, membership: CouncilMembership, actor: User | None = None) -> CouncilMembership | None:
    """End a seat now: the person loses the space at once. The seat stays listed as past, with
    yesterday as its last day; a seat that had not begun before today is removed altogether."""
    membership = CouncilMembership.objects.select_for_update().select_related("council").get(pk=membership.pk)
    _check_manager(actor, membership.council)
    council = membership.council
    today = timezone.localdate()
    if membership.has_ended(today):
        raise SpaceError(_("That period has already ended."), code="already_ended")
    yesterday = today - datetime.timedelta(days=1)
    if membership.start > yesterday:
        membership.delete()
        result = None
    else:
        membership.end = yesterday
        membership.save(update_fields=["end"])
        result = membership
    sync_groups(council=council)
    return result


@transaction.atomic
def membership_change_role(*, membership: CouncilMembership, role: str, actor: User | None = None) -> CouncilMembership:
    membership = CouncilMembership.objects.select_for_update().select_related("council").get(pk=membership.pk)
    _check_manager(actor, membership.council)
    _check_role(role)
    if membership.has_ended():
        raise SpaceError(_("The role of a past member cannot be changed."), code="already_ended")
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        sync_groups(council=membership.council)
    return membership


# --- threads and posts ----------------------------------------------------------------------------


def _check_member(actor: User, council: Page) -> None:
    if not selectors.is_member(user=actor, council=council):
        raise PermissionDenied(_("Only the council's current members can write in its space."))


def _clean_body(body: str) -> str:
    if len(body or "") > MAX_BODY_LENGTH:
        raise SpaceError(
            _("The text is too long (at most %(limit)s characters).") % {"limit": MAX_BODY_LENGTH}, code="too_long"
        )
    html = sanitise_post_body(body)
    if not has_text(html):
        raise SpaceError(_("Write something before you post."), code="empty")
    return html


def _check_files(files: list[Any]) -> None:
    """All files are checked before anything is stored: one bad file refuses the whole post."""
    if len(files) > MAX_ATTACHMENTS_PER_POST:
        raise SpaceError(
            _("You can attach at most %(count)s files to one post.") % {"count": MAX_ATTACHMENTS_PER_POST},
            code="too_many_files",
        )
    errors = []
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise SpaceError(errors)


def _store_document(*, council: Page, upload: Any, title: str, actor: User | None) -> Any:
    checked = check_upload(upload)
    space = ensure_space(council=council)
    stem = PurePath(upload.name or "dokument").stem[:80] or "dokument"
    Document = get_document_model()
    document = Document(title=title[:255] or stem, collection=space.collection, uploaded_by_user=actor)
    # The stored name takes the extension of the type found in the content, never the one typed.
    document.file = File(upload, name=f"{stem}.{checked.extension}")
    document._set_document_file_metadata()
    document.save()
    return document


def _add_post(*, thread: Thread, author: User, html: str, files: list[Any]) -> Post:
    post = Post.objects.create(thread=thread, author=as_account(author), body=html)
    for upload in files:
        document = _store_document(council=thread.council, upload=upload, title=upload.name or "", actor=author)
        PostAttachment.objects.create(post=post, document=document)
    if files:
        post.save()  # re-index the post with its attachments' text
    thread.followers.add(as_account(author))
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=post.created_at)
    return post


@transaction.atomic
def thread_start(*, council: Page, author: User, title: str, body: str, files: list[Any] | None = None) -> Thread:
    """Open a thread with its first post. Nothing is stored unless the author is a current member
    and every input (title, text, every file) is acceptable."""
    files = list(files or [])
    _check_member(author, council)
    title = (title or "").strip()
    if not title:
        raise SpaceError(_("Give the thread a title."), code="no_title")
    if len(title) > MAX_TITLE_LENGTH:
        raise SpaceError(
            _("The title is too long (at most %(limit)s characters).") % {"limit": MAX_TITLE_LENGTH}, code="too_long"
        )
    html = _clean_body(body)
    _check_files(files)
    thread = Thread.objects.create(council=selectors.source_council(council), title=title, author=as_account(author))
    _add_post(thread=thread, author=author, html=html, files=files)
    return thread


@transaction.atomic
def thread_reply(*, thread: Thread, author: User, body: str, files: list[Any] | None = None) -> Post:
    """Reply in a thread; the author now follows it, and the other followers who are still members
    are told by e-mail after commit."""
    files = list(files or [])
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    _check_member(author, thread.council)
    html = _clean_body(body)
    _check_files(files)
    post = _add_post(thread=thread, author=author, html=html, files=files)
    notifications.reply_on_commit(post=post)
    return post


def can_hide(*, user: User, post: Post) -> bool:
    """Portal moderators, and the secretary of the post's council."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_moderator(user) or selectors.is_secretary(user=user, council=post.thread.council)


@transaction.atomic
def post_hide(*, post: Post, actor: User, reason: str) -> Post:
    """Hide a post with a reason. The text is kept (moderators still read it); replies stay; the
    post leaves the search index (its adapter returns nothing for hidden posts)."""
    post = Post.objects.select_for_update().select_related("thread__council").get(pk=post.pk)
    if not can_hide(user=actor, post=post):
        raise PermissionDenied(_("Only moderators and the council's secretary can hide posts."))
    reason = (reason or "").strip()
    if not reason:
        raise SpaceError(_("Give a reason for hiding the post."), code="no_reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise SpaceError(
            _("The reason is too long (at most %(limit)s characters).") % {"limit": MAX_REASON_LENGTH},
            code="too_long",
        )
    if post.is_hidden:
        raise SpaceError(_("That post is already hidden."), code="already_hidden")
    post.hidden_at = timezone.now()
    post.hidden_by = as_account(actor)
    post.hidden_reason = reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return post


# --- internal documents ---------------------------------------------------------------------------


@transaction.atomic
def document_upload(*, council: Page, actor: User, title: str, upload: Any) -> Any:
    """Store an internal document in the council's private collection (members only)."""
    _check_member(actor, council)
    title = (title or "").strip()
    if len(title) > 255:
        raise SpaceError(_("The title is too long (at most %(limit)s characters).") % {"limit": 255}, code="too_long")
    if upload is None:
        raise SpaceError(_("Choose a file to upload."), code="no_file")
    _check_files([upload])
    return _store_document(council=council, upload=upload, title=title or upload.name, actor=actor)
