"""The one answer to who belongs where (portal/access/membership.py), built from factories: each test
makes the organisation, council and people it relies on."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import Locale

from portal.access import membership
from portal.access.audience import viewer_tokens
from portal.councils.models import CouncilMembership
from portal.organisations.models import OrganisationMembership
from portal.organisations.selectors import space_for
from tests.factories.councils import CouncilMembershipFactory, CouncilPageFactory
from tests.factories.organisations import OrganisationMembershipFactory, OrganisationPageFactory
from tests.factories.users import UserFactory

# Builds its own content on the site skeleton (tests/conftest.py): no demo needed.
pytestmark = [pytest.mark.django_db, pytest.mark.factories]

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def test_a_page_in_an_organisations_space_belongs_to_that_organisation():
    organisation = OrganisationPageFactory()
    other = OrganisationPageFactory()
    space = space_for(organisation=organisation)
    assert space is not None, "publishing an organisation creates its private space"
    assert membership.organisation_of(space).pk == organisation.pk
    assert membership.organisation_of(organisation).pk == organisation.pk
    assert membership.organisation_of(other).pk != organisation.pk
    assert membership.council_of(space) is None
    assert membership.group_of(space).pk == organisation.pk


def test_a_lead_leads_and_a_member_does_not():
    lead = OrganisationMembershipFactory(role=OrganisationMembership.Role.LEAD)
    organisation = lead.organisation
    member = OrganisationMembershipFactory(organisation=organisation)
    outsider = UserFactory()

    assert membership.is_lead(lead.user, organisation) and membership.is_member(lead.user, organisation)
    assert membership.is_member(member.user, organisation) and not membership.is_lead(member.user, organisation)
    assert not membership.is_member(outsider, organisation)
    assert not membership.is_member(AnonymousUser(), organisation)
    assert [user.pk for user in membership.leads(organisation)] == [lead.user.pk]


def test_a_deactivated_account_holds_no_role():
    lead = OrganisationMembershipFactory(role=OrganisationMembership.Role.LEAD)
    lead.user.is_active = False
    lead.user.save()
    assert membership.roles(lead.user, lead.organisation) == frozenset()
    assert membership.leads(lead.organisation) == []


@pytest.mark.parametrize(("start", "end", "current"), [
    (-400, None, True),   # seated, no end
    (-400, -1, False),    # period ended yesterday: a past member
    (-400, 0, True),      # the last day of the period still counts
    (5, None, False),     # appointed, not yet seated
])
def test_a_council_seat_counts_only_within_its_period(start, end, current):
    seat = CouncilMembershipFactory(start=days(start), end=days(end) if end is not None else None)
    assert membership.is_member(seat.user, seat.council) is current
    assert (f"council:{seat.council.translation_key}" in viewer_tokens(seat.user)) is current


def test_a_councils_chair_leads_and_its_secretary_manages():
    council = CouncilPageFactory()
    chair = CouncilMembershipFactory(council=council, role=CouncilMembership.Role.CHAIR)
    deputy = CouncilMembershipFactory(council=council, role=CouncilMembership.Role.DEPUTY_CHAIR)
    secretary = CouncilMembershipFactory(council=council, role=CouncilMembership.Role.SECRETARY)
    past_chair = CouncilMembershipFactory(council=council, role=CouncilMembership.Role.CHAIR,
                                          start=days(-800), end=days(-400))

    assert membership.is_lead(chair.user, council) and membership.is_lead(deputy.user, council)
    assert not membership.is_lead(secretary.user, council) and membership.is_manager(secretary.user, council)
    assert not membership.is_lead(past_chair.user, council)
    assert {user.pk for user in membership.leads(council)} == {chair.user.pk, deputy.user.pk}


def test_every_language_version_of_a_group_answers_the_same():
    lead = OrganisationMembershipFactory(role=OrganisationMembership.Role.LEAD)
    nynorsk = lead.organisation.copy_for_translation(Locale.objects.get(language_code="nn"))
    assert membership.is_lead(lead.user, nynorsk)
    assert set(membership.lead_paths(lead.user, membership.ORGANISATION)) == {lead.organisation.path, nynorsk.path}


def test_audience_tokens_name_the_organisation_and_its_leads():
    lead = OrganisationMembershipFactory(role=OrganisationMembership.Role.LEAD)
    member = OrganisationMembershipFactory(organisation=lead.organisation)
    key = lead.organisation.translation_key
    assert {f"organisation:{key}", f"organisation-lead:{key}"} <= viewer_tokens(lead.user)
    assert f"organisation:{key}" in viewer_tokens(member.user)
    assert f"organisation-lead:{key}" not in viewer_tokens(member.user)
    assert viewer_tokens(AnonymousUser()) == frozenset({"public"})


def test_an_unregistered_kind_is_refused_by_name():
    with pytest.raises(LookupError):
        membership.group_kind("choir")
