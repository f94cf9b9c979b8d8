"""Who belongs where: the one answer to "is this person a member, lead, chair or secretary of that
organisation or council" and "which organisation or council owns this page".

Access is the ground floor and knows no domain model. The organisations and councils apps describe
their kind of group (its page model, its membership model and which roles lead or manage) with
:func:`register_kind` in their ``ready()``; visibility, search audiences, workflow tasks,
notifications and every app's selectors ask here instead of querying memberships themselves.

Memberships are stored against one language version of a group's page; everything here compares
translation keys, so every language version of an organisation or council answers the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page

from .users import User, is_active_user, memo, touch_owner

ORGANISATION = "organisation"
COUNCIL = "council"




def _every_membership(queryset: QuerySet) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class GroupKind:
    """How one kind of group (organisations, councils) records who belongs to it."""

    name: str
    page_model: type[Page]
    membership_model: type[Model]
    # The membership's foreign key to the group's page ("organisation", "council").
    page_field: str
    # Roles that approve on the group's behalf (an organisation's lead; a council's chair and deputy).
    lead_roles: frozenset[str]
    # Roles that manage the group's membership (an organisation's lead; a council's secretary).
    manager_roles: frozenset[str]
    # Narrows memberships to those in force today (councils' seats have periods; organisations' not).
    current: Callable[[QuerySet], QuerySet] = field(default=_every_membership)

    def memberships(self) -> QuerySet:
        return self.current(self.membership_model._default_manager.all())

    def key_lookup(self) -> str:
        return f"{self.page_field}__translation_key"


_kinds: dict[str, GroupKind] = {}


def register_kind(kind: GroupKind) -> None:
    """Called by the app that owns the group model, from its ``ready()``."""
    _kinds[kind.name] = kind
    # Memberships memoised on a user object (users.memo) are asked again after any change.
    for signal in (post_save, post_delete):
        signal.connect(touch_owner, sender=kind.membership_model, dispatch_uid=f"rights-{kind.name}-{id(signal)}")


def group_kind(name: str) -> GroupKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No group kind {name!r} is registered (is its app installed?)") from None


def kind_of(page: Page) -> GroupKind | None:
    """The kind of group a page is (an organisation's or a council's page), if any."""
    for kind in _kinds.values():
        if isinstance(page, kind.page_model) or getattr(page, "specific_class", None) is kind.page_model:
            return kind
    return None


# --- which group owns a page ------------------------------------------------------------------------


def ancestor_paths(page: Page) -> list[str]:
    """The treebeard paths of the page and all its ancestors, nearest last."""
    step = Page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def owner_of(page: Page | None, kind: str) -> Page | None:
    """The nearest page of that kind of group at or above ``page``: any page under an organisation
    (its profile, its private space, drafts in that space) belongs to it, whatever it is called."""
    if page is None or not getattr(page, "path", None):
        return None
    model = group_kind(kind).page_model
    if isinstance(page, model):
        return page
    # One query: every ancestor of that type, nearest (deepest) first.
    return model.objects.filter(path__in=ancestor_paths(page)).order_by("-depth").first()


def organisation_of(page: Page | None) -> Page | None:
    return owner_of(page, ORGANISATION)


def council_of(page: Page | None) -> Page | None:
    return owner_of(page, COUNCIL)


def group_of(page: Page | None) -> Page | None:
    """The organisation or council owning the page, for display (moderation queue, e-mails)."""
    return organisation_of(page) or council_of(page)


def subtree_q(paths: Iterable[str], field: str = "path") -> Q:
    """Pages at or under any of the given paths (no paths: nothing)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


# --- who holds which role ------------------------------------------------------------------------------


def roles(user: User, group: Page | None) -> frozenset[str]:
    """The user's roles in force today in that organisation or council (any language version)."""
    if group is None or not is_active_user(user):
        return frozenset()
    kind = kind_of(group)
    if kind is None:
        return frozenset()
    return memberships_by_key(user, kind.name).get(group.translation_key, frozenset())


def is_member(user: User, group: Page | None) -> bool:
    """Holds any role in force today; past (and future) members are not members."""
    return bool(roles(user, group))


def is_lead(user: User, group: Page | None) -> bool:
    """An organisation's lead, or a council's chair or deputy chair: who approves for the group."""
    kind = kind_of(group) if group is not None else None
    return kind is not None and bool(roles(user, group) & kind.lead_roles)


def is_manager(user: User, group: Page | None) -> bool:
    """An organisation's lead, or a council's secretary: who manages the group's membership."""
    kind = kind_of(group) if group is not None else None
    return kind is not None and bool(roles(user, group) & kind.manager_roles)


def has_role(user: User, group: Page | None, role: str) -> bool:
    return role in roles(user, group)


def group_keys(user: User, kind: str, *, roles_in: Iterable[str] | None = None) -> set:
    """Translation keys of the groups of that kind where the user holds a role (or one of
    ``roles_in``) today."""
    wanted = set(roles_in) if roles_in is not None else None
    return {key for key, roles in memberships_by_key(user, kind).items() if wanted is None or roles & wanted}


def memberships_by_key(user: User, kind: str) -> dict[object, frozenset[str]]:
    """Every group of that kind the user belongs to today, by translation key, with their roles: one
    query for all of them (audience tokens, workspaces)."""
    if not is_active_user(user):
        return {}
    group = group_kind(kind)

    def compute() -> dict[object, frozenset[str]]:
        found: dict[object, set[str]] = {}
        for key, role in group.memberships().filter(user=user).values_list(group.key_lookup(), "role"):
            found.setdefault(key, set()).add(role)
        return {key: frozenset(value) for key, value in found.items()}

    return memo(user, f"memberships:{kind}", compute)


def group_paths(user: User, kind: str, *, roles_in: Iterable[str] | None = None) -> list[str]:
    """Tree paths of every language version of those groups: for subtree filters."""
    keys = group_keys(user, kind, roles_in=roles_in)
    if not keys:
        return []
    model = group_kind(kind).page_model
    wanted = tuple(sorted(roles_in)) if roles_in is not None else None
    return memo(user, f"paths:{kind}:{wanted}",
                lambda: list(model.objects.filter(translation_key__in=keys).values_list("path", flat=True)))


def lead_paths(user: User, kind: str) -> list[str]:
    return group_paths(user, kind, roles_in=group_kind(kind).lead_roles)


def people(group: Page | None, *, roles_in: Iterable[str] | None = None) -> list:
    """Active users holding a role (or one of ``roles_in``) in the group today."""
    kind = kind_of(group) if group is not None else None
    if group is None or kind is None:
        return []
    memberships = kind.memberships().filter(**{kind.key_lookup(): group.translation_key}, user__is_active=True)
    if roles_in is not None:
        memberships = memberships.filter(role__in=list(roles_in))
    seen: dict[int, object] = {}
    for membership in memberships.select_related("user"):
        seen.setdefault(membership.user.pk, membership.user)
    return list(seen.values())


def leads(group: Page | None) -> list:
    kind = kind_of(group) if group is not None else None
    return people(group, roles_in=kind.lead_roles) if kind is not None else []
