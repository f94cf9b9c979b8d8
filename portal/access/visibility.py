"""The one answer to "may this user see / edit / moderate this object".

Every channel (page views, listings, search, feeds, sitemap, API, documents, e-mails) asks this
module instead of deciding for itself. Pages are decided by Wagtail view restrictions and page
permissions, hardened against two known gaps (see WAGTAIL-NOTES): a translation or an alias of a
private page is treated as private, whatever restrictions it carries itself. Non-page models
register a policy with :func:`register_policy`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q
from django.db.models.query import ModelIterable
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction
from wagtail.query import PageQuerySet

from . import generation
from .roles import is_moderator
from .users import User, forget, group_names, is_active_user, is_superuser

M = TypeVar("M", bound=Model)

_PATH_STEP = Page.steplen


@dataclass(frozen=True)
class Policy:
    """How to decide visibility for one non-page model."""

    can_view: Callable[[Any, Any], bool]
    can_edit: Callable[[Any, Any], bool]
    can_moderate: Callable[[Any, Any], bool] | None = None
    # Narrow a queryset of the model to what the user may view (used by listings, search, feeds).
    filter_viewable: Callable[[Any, Any], Any] | None = None


_policies: dict[type[Model], Policy] = {}
# Further conditions on viewing, registered by apps that do not own the model but protect some of
# its rows: a confidential agenda item's attachment is a Wagtail document whatever its collection.
_view_conditions: dict[type[Model], list[Callable[[Any, Any], bool]]] = {}
# The same conditions for many objects at once (listings): ``admitted(user, objects)`` returns the
# pks of those the condition admits, in a fixed number of queries instead of one per object.
_batch_conditions: dict[Callable[[Any, Any], bool], Callable[[Any, list[Any]], set[Any]]] = {}


def register_policy(model: type[Model], policy: Policy) -> None:
    _policies[model] = policy


def register_view_condition(model: type[Model], condition: Callable[[Any, Any], bool],
                            admitted: Callable[[Any, list[Any]], set[Any]] | None = None) -> None:
    """Add a condition every non-superuser must also meet to view an object of ``model``
    (``condition(user, obj)``); the model's policy still decides first. ``admitted(user, objects)``,
    if given, decides the same for a list at once (the pks admitted), for listings."""
    conditions = _view_conditions.setdefault(model, [])
    if condition not in conditions:
        conditions.append(condition)
    if admitted is not None:
        _batch_conditions[condition] = admitted


def _conditions_admit(user: User, obj: Any) -> bool:
    for klass in type(obj).__mro__:
        if not all(condition(user, obj) for condition in _view_conditions.get(klass, ())):
            return False
    return True


def _policy_for(obj: Any) -> Policy | None:
    for klass in type(obj).__mro__:
        if klass in _policies:
            return _policies[klass]
    return None


# --- users ----------------------------------------------------------------------------------------


def user_group_ids(user: User) -> frozenset[int]:
    """The user's group ids, memoised on the user object for the rest of the request."""
    return frozenset(group_names(user))


def forget_cached_rights(user: User) -> None:
    """Call after changing a user's groups within the same request or test (the signals that
    announce group and membership changes do this for every user object already)."""
    forget(user)


# --- view restrictions as plain rows ---------------------------------------------------------------


@dataclass(frozen=True)
class Restriction:
    """A page view restriction as a plain row: the restricted page's path, the kind and the groups."""

    id: int
    page_id: int
    path: str
    restriction_type: str
    group_ids: frozenset[int]


@dataclass(frozen=True)
class RestrictionRows:
    """Every page view restriction, and which restrictions cover each page inside a restricted
    subtree by translation key (so a translation of a private page is private too)."""

    rows: tuple[Restriction, ...]
    by_translation_key: dict[Any, frozenset[int]]

    def on_ancestors(self, path: str) -> list[Restriction]:
        """Restrictions on the page with this path or its ancestors."""
        return [row for row in self.rows if path.startswith(row.path)]

    def by_id(self, ids: Iterable[int]) -> list[Restriction]:
        wanted = set(ids)
        return [row for row in self.rows if row.id in wanted]


def _load_restriction_rows() -> RestrictionRows:
    groups: dict[int, set[int]] = {}
    for restriction_id, group_id in PageViewRestriction.groups.through.objects.values_list(
        "pageviewrestriction_id", "group_id"
    ):
        groups.setdefault(restriction_id, set()).add(group_id)
    rows = tuple(
        Restriction(id=pk, page_id=page_id, path=path, restriction_type=kind, group_ids=frozenset(groups.get(pk, ())))
        for pk, page_id, path, kind in PageViewRestriction.objects.order_by("page__path", "pk").values_list(
            "pk", "page_id", "page__path", "restriction_type"
        )
    )
    covering: dict[Any, set[int]] = {}
    if rows:
        inside = Q()
        for row in rows:
            inside |= Q(path__startswith=row.path)
        for key, path in Page.objects.filter(inside).values_list("translation_key", "path"):
            covering.setdefault(key, set()).update(row.id for row in rows if path.startswith(row.path))
    return RestrictionRows(rows=rows, by_translation_key={key: frozenset(ids) for key, ids in covering.items()})


def restriction_rows() -> RestrictionRows:
    """The view restrictions, loaded once per content generation (portal.access.generation, which
    advances on every change of a restriction, its groups, or of any page's place in the tree) and
    shared by every request: nothing in them depends on who asks."""
    return generation.cached("view-restrictions", (), _load_restriction_rows)


# --- pages ----------------------------------------------------------------------------------------


def restriction_admits(user: User, restriction: BaseViewRestriction | Restriction) -> bool:
    """Whether a view restriction lets this user through (password restrictions never do here)."""
    kind = restriction.restriction_type
    if kind == BaseViewRestriction.NONE:
        return True
    if is_superuser(user):
        return True
    if kind == BaseViewRestriction.LOGIN:
        return is_active_user(user)
    if kind == BaseViewRestriction.GROUPS:
        if isinstance(restriction, Restriction):
            allowed = set(restriction.group_ids)
        else:
            allowed = {group.pk for group in restriction.groups.all()}
        return bool(allowed & user_group_ids(user))
    return False


def restrictions_covering(page: Page) -> list[Restriction]:
    """View restrictions on the page, its ancestors, and the ancestors of all its translations and
    of the page it is an alias of: any one of them makes the page private. Read from the plain rows
    (no query, except one for the translation key of an alias's original)."""
    rows = restriction_rows()
    ids = {row.id for row in rows.on_ancestors(page.path)}
    ids |= rows.by_translation_key.get(page.translation_key, frozenset())
    if page.alias_of_id:
        target_key = Page.objects.filter(pk=page.alias_of_id).values_list("translation_key", flat=True).first()
        ids |= rows.by_translation_key.get(target_key, frozenset())
    return rows.by_id(ids)


def can_view_page(user: User, page: Page) -> bool:
    if not page.live:
        # Drafts are seen only by those who may edit them (previews, revisions).
        return can_edit_page(user, page)
    return all(restriction_admits(user, restriction) for restriction in restrictions_covering(page))


def can_edit_page(user: User, page: Page) -> bool:
    if not is_active_user(user):
        return False
    hook = getattr(page.specific_deferred, "user_can_edit", None)
    if callable(hook):
        return bool(hook(user))
    return page.permissions_for_user(user).can_edit()


def refused_pages_q(user: User) -> Q:
    """Pages a view restriction refuses this user: every subtree under such a restriction, every
    translation of a page in one, and every alias of one. Matches nothing for superusers."""
    if is_superuser(user):
        return Q(pk__in=[])
    refusing = [row.path for row in restriction_rows().rows if not restriction_admits(user, row)]
    if not refusing:
        return Q(pk__in=[])
    in_private_subtree = Q()
    for path in refusing:
        in_private_subtree |= Q(path__startswith=path)
    private_keys = Page.objects.filter(in_private_subtree).values("translation_key")
    return in_private_subtree | Q(translation_key__in=private_keys) | Q(alias_of__translation_key__in=private_keys)


def viewable_pages(user: User, queryset: PageQuerySet | None = None) -> PageQuerySet:
    """Live pages this user may view: excludes every subtree whose view restriction refuses them,
    every translation of a page in such a subtree, and every alias of one."""
    queryset = (queryset if queryset is not None else Page.objects.all()).live()
    refused = refused_pages_q(user)
    if refused == Q(pk__in=[]):
        return queryset
    return queryset.exclude(refused)


def exclude_restricted(queryset: PageQuerySet) -> PageQuerySet:
    """Wagtail's ``.public()`` from the plain rows: leaves out every subtree under any view
    restriction (whoever reads), without loading the restrictions' pages."""
    paths = [row.path for row in restriction_rows().rows]
    if not paths:
        return queryset
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition)


# --- any object -----------------------------------------------------------------------------------


def can_view(user: User, obj: Any) -> bool:
    """May this user see this object (page, snippet, document, post, membership detail...)?"""
    if obj is None:
        return False
    if isinstance(obj, Page):
        return can_view_page(user, obj)
    policy = _policy_for(obj)
    if policy is None:
        # Unknown kinds are private by default: a new model must opt in to being seen.
        return is_superuser(user)
    return is_superuser(user) or (bool(policy.can_view(user, obj)) and _conditions_admit(user, obj))


def can_edit(user: User, obj: Any) -> bool:
    if obj is None or not is_active_user(user):
        return False
    if isinstance(obj, Page):
        return can_edit_page(user, obj)
    policy = _policy_for(obj)
    if policy is None:
        return is_superuser(user)
    return is_superuser(user) or bool(policy.can_edit(user, obj))


def can_moderate(user: User, obj: Any) -> bool:
    if obj is None or not is_active_user(user):
        return False
    if is_superuser(user):
        return True
    policy = None if isinstance(obj, Page) else _policy_for(obj)
    if policy is not None and policy.can_moderate is not None:
        return bool(policy.can_moderate(user, obj))
    return is_moderator(user)


def with_rows(queryset: Any, objects: list[Any]) -> Any:
    """``queryset`` holding ``objects`` as its rows, read already (the same rows in the same order: a
    subset of a list the caller read from the same query). Iterating or counting it asks no query
    again; narrowing it further (filter, order_by, values) queries as always."""
    if queryset._iterable_class is ModelIterable and not queryset.query.is_sliced:
        queryset._result_cache = list(objects)
    return queryset


def filter_viewable(user: User, queryset: Any) -> Any:
    """Narrow any queryset (pages or a registered model) to the rows this user may view."""
    if issubclass(queryset.model, Page):
        return viewable_pages(user, queryset)
    if is_superuser(user):
        return queryset
    policy = _policies.get(queryset.model)
    if policy is None or policy.filter_viewable is None:
        return queryset.none()
    queryset = policy.filter_viewable(user, queryset)
    conditions = [condition for klass in queryset.model.__mro__ for condition in _view_conditions.get(klass, ())]
    if conditions:
        objects = list(queryset)
        for condition in conditions:
            batch = _batch_conditions.get(condition)
            if batch is not None:
                admitted = batch(user, objects)
                objects = [obj for obj in objects if obj.pk in admitted]
            else:
                objects = [obj for obj in objects if condition(user, obj)]
        # The rows just read are the answer: the caller iterating it does not read them again.
        queryset = with_rows(queryset.filter(pk__in=[obj.pk for obj in objects]), objects)
    return queryset
