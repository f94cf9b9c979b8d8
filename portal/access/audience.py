"""Who may see an index entry, and who a viewer is, as comparable tokens.

An entry carries a set of audience tokens; a viewer carries a set of tokens too; the viewer may see
the entry when the two sets meet (or the entry is public, or the viewer is a superuser). Because
the check is a set intersection, it goes into the query itself (SQL EXISTS / an Elasticsearch
``terms`` filter), so results, snippets, counts and facets are all computed from visible entries.

Tokens:
- ``public``                      anyone (stored as SearchEntry.is_public)
- ``authenticated``               any logged-in, active user
- ``group:<group id>``            members of a Django group
- ``council:<translation key>``   current members of a council (any language version)
- ``organisation:<translation key>``       members of an organisation
- ``organisation-lead:<translation key>``  leads of an organisation
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from wagtail.models import BaseViewRestriction, Page

from . import membership
from .membership import COUNCIL, ORGANISATION
from .users import User, is_active_user, is_superuser, memo
from .visibility import can_view, restrictions_covering, user_group_ids

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def group_token(group_id: int) -> str:
    return f"group:{group_id}"


def council_token(council: Page) -> str:
    return f"council:{council.translation_key}"


def organisation_token(organisation: Page, *, lead: bool = False) -> str:
    return f"{'organisation-lead' if lead else 'organisation'}:{organisation.translation_key}"


def is_unrestricted(user: User) -> bool:
    """Superusers see everything: no audience filter at all."""
    return is_superuser(user)


def viewer_tokens(user: User) -> frozenset[str]:
    """The audience tokens a user holds (always including ``public``)."""
    if not is_active_user(user):
        return frozenset({PUBLIC})
    # Once per request (users.memo): search, listings and the workspace all ask.
    return memo(user, "audience-tokens", lambda: _viewer_tokens(user))


def _viewer_tokens(user: User) -> frozenset[str]:
    tokens = {PUBLIC, AUTHENTICATED}
    tokens.update(group_token(group_id) for group_id in user_group_ids(user))
    for key in membership.memberships_by_key(user, COUNCIL):
        tokens.add(f"council:{key}")
    organisation_kind = membership.group_kind(ORGANISATION)
    for key, roles in membership.memberships_by_key(user, ORGANISATION).items():
        tokens.add(f"organisation:{key}")
        if roles & organisation_kind.lead_roles:
            tokens.add(f"organisation-lead:{key}")
    return frozenset(tokens)


def page_audience(page: Page) -> frozenset[str]:
    """Audience of a live page, from the visibility service.

    Public when an anonymous visitor may view it. Otherwise every covering restriction must admit
    the viewer (visibility.can_view_page), which a token set (any-of) can only express
    conservatively: group restrictions give the groups common to all of them; a login-only
    restriction alone gives ``authenticated``; a password restriction gives nobody (superusers
    still see it). Never wider than can_view, possibly narrower."""
    if can_view(AnonymousUser(), page):
        return frozenset({PUBLIC})
    group_sets: list[set[int]] = []
    login_only = False
    for restriction in restrictions_covering(page):
        kind = restriction.restriction_type
        if kind == BaseViewRestriction.NONE:
            continue
        if kind == BaseViewRestriction.LOGIN:
            login_only = True
        elif kind == BaseViewRestriction.GROUPS:
            group_sets.append(set(restriction.group_ids))
        else:
            return frozenset()
    if group_sets:
        common = set.intersection(*group_sets)
        return frozenset(group_token(group_id) for group_id in common)
    return frozenset({AUTHENTICATED}) if login_only else frozenset()
