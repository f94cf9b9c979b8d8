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
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction
from wagtail.query import PageQuerySet

from .roles import is_moderator
from .users import User, is_active_user, is_superuser

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


def register_policy(model: type[Model], policy: Policy) -> None:
    _policies[model] = policy


def _policy_for(obj: Any) -> Policy | None:
    for klass in type(obj).__mro__:
        if klass in _policies:
            return _policies[klass]
    return None


# --- users ----------------------------------------------------------------------------------------


def user_group_ids(user: User) -> frozenset[int]:
    """The user's group ids, memoised on the user object for the rest of the request."""
    if not is_active_user(user):
        return frozenset()
    cached = getattr(user, "_visibility_group_ids", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("id", flat=True))
        user.__dict__["_visibility_group_ids"] = cached
    return cached


def forget_cached_rights(user: User) -> None:
    """Call after changing a user's groups within the same request or test."""
    if hasattr(user, "_visibility_group_ids"):
        del user._visibility_group_ids


# --- pages ----------------------------------------------------------------------------------------


def restriction_admits(user: User, restriction: BaseViewRestriction) -> bool:
    """Whether a view restriction lets this user through (password restrictions never do here)."""
    kind = restriction.restriction_type
    if kind == BaseViewRestriction.NONE:
        return True
    if is_superuser(user):
        return True
    if kind == BaseViewRestriction.LOGIN:
        return is_active_user(user)
    if kind == BaseViewRestriction.GROUPS:
        allowed = {group.pk for group in restriction.groups.all()}
        return bool(allowed & user_group_ids(user))
    return False


def _ancestor_paths(paths: Iterable[str]) -> set[str]:
    prefixes: set[str] = set()
    for path in paths:
        for end in range(_PATH_STEP, len(path) + 1, _PATH_STEP):
            prefixes.add(path[:end])
    return prefixes


def restrictions_covering(page: Page) -> list[PageViewRestriction]:
    """View restrictions on the page, its ancestors, and the ancestors of all its translations and
    of the page it is an alias of: any one of them makes the page private."""
    related = Page.objects.filter(Q(translation_key=page.translation_key) | Q(pk=page.pk))
    if page.alias_of_id:
        alias_target = Page.objects.filter(pk=page.alias_of_id).values("translation_key")
        related = related | Page.objects.filter(translation_key__in=alias_target)
    paths = set(related.values_list("path", flat=True)) | {page.path}
    return list(
        PageViewRestriction.objects.filter(page__path__in=_ancestor_paths(paths)).prefetch_related("groups")
    )


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


def viewable_pages(user: User, queryset: PageQuerySet | None = None) -> PageQuerySet:
    """Live pages this user may view: excludes every subtree whose view restriction refuses them,
    every translation of a page in such a subtree, and every alias of one."""
    queryset = (queryset if queryset is not None else Page.objects.all()).live()
    if is_superuser(user):
        return queryset
    refusing = [
        restriction.page.path
        for restriction in PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        if not restriction_admits(user, restriction)
    ]
    if not refusing:
        return queryset
    in_private_subtree = Q()
    for path in refusing:
        in_private_subtree |= Q(path__startswith=path)
    private_keys = Page.objects.filter(in_private_subtree).values("translation_key")
    return (
        queryset.exclude(in_private_subtree)
        .exclude(translation_key__in=private_keys)
        .exclude(alias_of__translation_key__in=private_keys)
    )


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
    return is_superuser(user) or bool(policy.can_view(user, obj))


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


def filter_viewable(user: User, queryset: Any) -> Any:
    """Narrow any queryset (pages or a registered model) to the rows this user may view."""
    if issubclass(queryset.model, Page):
        return viewable_pages(user, queryset)
    if is_superuser(user):
        return queryset
    policy = _policies.get(queryset.model)
    if policy is None or policy.filter_viewable is None:
        return queryset.none()
    return policy.filter_viewable(user, queryset)
