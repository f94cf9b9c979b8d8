"""What the request's user is, asked the same way everywhere: anonymous visitors, deactivated
accounts and superusers are the three cases every rule starts from."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser

User = AbstractUser | AnonymousUser


def is_active_user(user: User | None) -> bool:
    """Signed in with an account that is not deactivated."""
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def is_superuser(user: User | None) -> bool:
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
