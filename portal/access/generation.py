"""The content generation: a version key for what every reader's pages are built from (which pages
are live and where, their titles and menu flags, view restrictions, locales, sites, footer settings).

Whatever is derived only from those (the layout's menu, language links, footer links, the view
restrictions as plain rows) is cached under the current generation, shared by every request and
every worker that shares the cache, and never computed per request. The generation advances on
every publish, unpublish, move and delete of a page, every save of a page that is not only a draft
(a draft changes nothing a reader sees), every change of a view restriction or its groups, and
every change of a locale, site or group; it advances whether or not the anonymous page cache is on.

Uncommitted changes: a change advances the generation at once (so this transaction reads what it
just wrote) and again when its transaction commits (so nothing another worker cached from the old
rows in between survives). Until the transaction ends, nothing is stored or read from the cache by
the connection that made the change: had it stored what it computed from uncommitted rows and then
rolled back, other readers would get chrome or restrictions that were never true.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

KEY = "portal-content:generation"
PREFIX = "portal-content"
# How long a derived value is kept: the generation makes it obsolete long before this; the limit only
# keeps a cache that never evicts (the file cache) from filling with values of old generations.
LIFETIME = 24 * 3600
# Saves of a page that touch only these fields are drafts (save_revision, locking, workflow state):
# readers see nothing of them.
DRAFT_FIELDS = frozenset({
    "latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes",
    "wagtail_admin_comments", "comments", "locked", "locked_at", "locked_by",
})

T = TypeVar("T")
# This worker's copies of the current generation's values: one shared-cache read per value and
# generation, not one unpickling per request (the restriction rows can be large). Values are
# shared by every request of the worker, so callers never mutate them.
_local: dict[str, Any] = {}


def current() -> str:
    generation = cache.get(KEY)
    if generation is None:
        cache.add(KEY, uuid.uuid4().hex, None)
        generation = cache.get(KEY) or "none"
    return str(generation)


def _bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)


def advance(**_kwargs: Any) -> None:
    """Start a new generation now and again when the current transaction commits."""
    _bump()
    if connection.in_atomic_block:
        connection.__dict__["_portal_uncommitted_change"] = connection.atomic_blocks[0]
        transaction.on_commit(_committed)


def _committed() -> None:
    connection.__dict__.pop("_portal_uncommitted_change", None)
    _bump()


def usable() -> bool:
    """False while this connection's open transaction holds a change that is not committed."""
    marker = connection.__dict__.get("_portal_uncommitted_change")
    if marker is None:
        return True
    if connection.in_atomic_block and connection.atomic_blocks and connection.atomic_blocks[0] is marker:
        return False
    connection.__dict__.pop("_portal_uncommitted_change", None)  # that transaction has ended
    return True


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T],
           keep: Callable[[T], bool] | None = None) -> T:
    """``compute()`` once per generation and ``parts`` (site, language, audience...), shared by every
    request. ``parts`` must name everything the value depends on besides the content. A value for
    which ``keep(value)`` is false is returned but not stored (computed again next time): for keys
    chosen by the outside world, such as paths, where only real answers may take up room."""
    if not usable():
        return compute()
    generation = current()
    key = f"{PREFIX}:{generation}:{name}:" + ":".join(str(part) for part in parts)
    if _local.get("generation") != generation:
        _local.clear()
        _local["generation"] = generation
    stored = _local.get(key)
    if stored is None:
        stored = cache.get(key)  # a one-tuple, so that a computed None is kept too
        if stored is None:
            stored = (compute(),)
            if keep is not None and not keep(stored[0]):
                return stored[0]
            cache.set(key, stored, LIFETIME)
        _local[key] = stored
    return stored[0]


# --- what advances it ------------------------------------------------------------------------------


def connect() -> None:
    """Listen for every change that the cached values depend on. Both before and after the change:
    the second bump drops what another worker cached from the old rows in between; the first makes
    receivers that run before ours in this process (search indexing reads view restrictions) read
    fresh values already. Connected from the access app, which Django readies before the apps that
    listen to the same signals (workflows, search)."""
    for signal in (page_published, page_unpublished, pre_page_move, post_page_move):
        signal.connect(advance, dispatch_uid=f"content-generation-{id(signal)}")
    # Page subclasses send the signals with their own class as sender: listen to every sender.
    for signal in (pre_save, post_save):
        signal.connect(_any_saved, dispatch_uid=f"content-generation-{id(signal)}")
    for signal in (pre_delete, post_delete):
        signal.connect(_any_deleted, dispatch_uid=f"content-generation-{id(signal)}")
    m2m_changed.connect(advance, sender=PageViewRestriction.groups.through,
                        dispatch_uid="content-generation-restriction-groups")
    # Which groups may open the admin (roles.may_use_admin) is cached per generation too.
    m2m_changed.connect(advance, sender=Group.permissions.through, dispatch_uid="content-generation-group-permissions")


_WATCHED: set[type] = {PageViewRestriction, Locale, Site, Group}


def watch(model: type) -> None:
    """Another app's model (and its subclasses) whose rows cached values read (the footer settings,
    workflow tasks)."""
    _WATCHED.add(model)


def _any_saved(sender: Any, instance: Any, update_fields: Any = None, **_kwargs: Any) -> None:
    if isinstance(instance, Page):
        if not (update_fields and set(update_fields) <= DRAFT_FIELDS):
            advance()
    elif isinstance(instance, tuple(_WATCHED)):
        advance()


def _any_deleted(sender: Any, instance: Any, **_kwargs: Any) -> None:
    if isinstance(instance, (Page, *_WATCHED)):
        advance()
