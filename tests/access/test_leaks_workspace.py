"""The workspace (/arbeidsrom/) in the leak matrix: for every private kind, the workspace pages in
each language never show it to another organisation's member or a past member (the case's own member
once every membership has ended); test_leaks_shared.py reads them as an outsider and as a moderator
outside moderation. A positive
control proves the member does see their organisation's draft there."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.utils import timezone

import tests.access
from portal.councils.models import CouncilMembership
from portal.organisations import actions as organisation_actions
from portal.organisations.models import OrganisationMembership
from tests.access.leak_cases import PRIVATE_KINDS
from tests.helpers import demo_user

for module in pkgutil.iter_modules(tests.access.__path__):
    if module.name.startswith("leak_cases_"):
        importlib.import_module(f"tests.access.{module.name}")

pytestmark = pytest.mark.django_db

WORKSPACE_URLS = ["/arbeidsrom/", "/nn/arbeidsrom/", "/en/arbeidsrom/"]
# The viewers who differ from case to case. The outsider and the moderator outside moderation read
# the workspace once with every case built side by side (test_leaks_shared.py).
VIEWERS = ("other_member", "past_member")


def _end_memberships(user) -> bool:
    """Make the user a past member everywhere; False if they had no membership to end."""
    had = False
    for membership in OrganisationMembership.objects.filter(user=user):
        OrganisationMembership.objects.filter(pk=membership.pk).update(role=OrganisationMembership.Role.MEMBER)
        organisation_actions.membership_remove(membership=membership)
        had = True
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    for seat in CouncilMembership.objects.current().filter(user=user):
        seat.start = min(seat.start, yesterday)
        seat.end = yesterday
        seat.save()
        had = True
    return had


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", sorted(PRIVATE_KINDS))
def test_the_workspace_never_shows_private_things_to_anyone_without_access(kind, viewer, client):
    case = PRIVATE_KINDS[kind]()
    if viewer == "other_member":
        user = case.other_member
    else:
        user = case.member
        if not _end_memberships(user):
            pytest.skip("this case's viewer holds no membership that can end")
    client.force_login(user)
    leaks = []
    for url in WORKSPACE_URLS:
        body = client.get(url).content.decode()
        if case.secret in body or any(word in body for word in case.hidden):
            leaks.append(url)
    assert leaks == [], f"{kind} leaked to {viewer} through {leaks}"


def test_positive_control_the_member_sees_the_organisations_draft_in_the_workspace(client):
    case = PRIVATE_KINDS["organisation draft"]()
    client.force_login(case.member)
    assert case.secret in client.get("/arbeidsrom/").content.decode()


def test_positive_control_the_moderator_sees_a_draft_waiting_for_moderation(client):
    case = PRIVATE_KINDS["organisation draft waiting for moderation"]()
    client.force_login(demo_user("moderator"))
    assert case.secret in client.get("/arbeidsrom/").content.decode()
