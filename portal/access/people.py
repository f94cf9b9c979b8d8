"""Finding a person by what a lead or a secretary types: a username or an e-mail address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q


def find_user(identifier: str) -> list[Any]:
    """Active users matching a username or an e-mail address exactly (case-insensitive); at most
    two, so callers can tell "nobody", "this person" and "ambiguous" apart."""
    identifier = identifier.strip()
    if not identifier:
        return []
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True).filter(
            Q(**{f"{User.USERNAME_FIELD}__iexact": identifier}) | Q(email__iexact=identifier)
        )[:2]
    )
