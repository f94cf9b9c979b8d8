"""What the request's user is, asked the same way everywhere: anonymous visitors, deactivated
accounts and superusers are the three cases every rule starts from."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account  # the site's user model (AUTH_USER_MODEL is not swapped)
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from typing import TypeGuard

    from typing_extensions import TypeIs

# Whoever is asking: a viewer may be anonymous (request.user), so every rule takes this and starts
# from is_active_user(); an Account is a signed-in person's row (authors, members, recipients).
User = Account | AnonymousUser
T = TypeVar("T")


# TypeIs: past `if not is_active_user(user): return ...` the checker knows it holds an Account. On the
# other side it treats the user as anonymous, as every rule does with a deactivated account too.
def is_active_user(user: User | None) -> TypeIs[Account]:
    """Signed in with an account that is not deactivated."""
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def viewer_of(request: object) -> User:
    """Whoever a template is rendered for: the request's user, or an anonymous visitor when there is
    no request (a template rendered outside one)."""
    user = getattr(request, "user", None)
    return user if user is not None else AnonymousUser()


def as_account(user: User) -> Account:
    """The signed-in person, for what is stored under their name (an author, a decider). The caller's
    rule has already refused anonymous visitors; should one get this far, it is refused here too
    rather than failing on the database."""
    if not isinstance(user, Account):
        raise PermissionDenied
    return user


def is_superuser(user: User | None) -> TypeGuard[Account]:
    """A site administrator: sees and may do everything."""
    return is_active_user(user) and bool(getattr(user, "is_superuser", False))


def language_of(user: User | None) -> str:
    """The language a person reads the portal in (their Wagtail preference), for e-mails and
    notifications written outside their request; the default language when they chose none."""
    default = settings.LANGUAGE_CODE
    profile = getattr(user, "wagtail_userprofile", None) if is_active_user(user) else None
    preferred = getattr(profile, "preferred_language", "") or ""
    available = {code for code, _name in settings.LANGUAGES}
    return preferred if preferred in available else default


# --- what a user's rights are built from, read once per request ----------------------------------------

# Advances (in this process) on every change of anyone's groups or memberships: a value memoised on
# a user object is used only while it is still current, so a request or test that changes rights and
# asks again gets the new answer. Other processes memoise per request only (a fresh user object).
_rights_version = [0]


def rights_changed(**_kwargs: object) -> None:
    _rights_version[0] += 1


def memo(user: User, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per user object (one request) and rights version: the user's groups,
    memberships and roles are asked for by the header, the visibility service, workflow tasks and
    the page itself, and every one of them gets the same answer from one query."""
    store: tuple[int, dict[str, Any]] | None = user.__dict__.get("_portal_rights")
    if store is None or store[0] != _rights_version[0]:
        store = (_rights_version[0], {})
        user.__dict__["_portal_rights"] = store
    values = store[1]
    if name not in values:
        values[name] = compute()
    return values[name]


def forget(user: User) -> None:
    user.__dict__.pop("_portal_rights", None)


def group_names(user: User) -> dict[int, str]:
    """The user's groups, id: name (one query per request)."""
    if not is_active_user(user):
        return {}
    return memo(user, "groups", lambda: dict(user.groups.values_list("id", "name")))


# --- a per-person stamp in the shared cache ------------------------------------------------------------


def stamp(user_id: int) -> str:
    """A value that changes whenever something about this person that cached per-person figures
    depend on changes (their groups, memberships, notifications): part of those figures' keys."""
    value = cache.get(f"portal-user-stamp:{user_id}")
    return str(value) if value is not None else "0"


def touch(user_id: int | None) -> None:
    if user_id is not None:
        cache.set(f"portal-user-stamp:{user_id}", uuid.uuid4().hex, None)


def touch_owner(sender: object, instance: object, **_kwargs: object) -> None:
    """Signal receiver for rows that belong to a person (``instance.user_id``)."""
    rights_changed()
    touch(getattr(instance, "user_id", None))


def groups_changed(sender: object, instance: object, pk_set: Iterable[Any] | None = None, reverse: bool = False,
                   **_kwargs: object) -> None:
    rights_changed()
    if not reverse:
        touch(getattr(instance, "pk", None))
    else:
        for user_id in pk_set or ():
            touch(user_id)
