"""The demo loader can run any number of times without duplicating anything."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision

from portal.councils.models import CouncilMembership
from portal.organisations.models import OrganisationMembership, OrganisationPage

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        get_user_model().objects.count(),
        OrganisationMembership.objects.count(),
        CouncilMembership.objects.count(),
    )


def test_load_demo_twice_creates_nothing_twice():
    before = _counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "nothing created" in out.getvalue()


def test_demo_has_umbrella_with_two_members_and_an_independent_organisation():
    umbrella = OrganisationPage.objects.get(short_name="FFB", locale__language_code="nb")
    members = OrganisationPage.objects.filter(umbrella=umbrella, locale__language_code="nb")
    assert members.count() == 2
    independent = OrganisationPage.objects.filter(umbrella__isnull=True, locale__language_code="nb").exclude(
        pk=umbrella.pk
    )
    assert independent.count() == 1


def test_demo_has_an_account_for_every_role():
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    for username in ["admin", "moderator", "horingseier", "org-leder", "org-medlem", "utvalgsleder",
                     "utvalgssekretaer", "utvalgsmedlem"]:
        assert username in usernames
    assert not get_user_model().objects.get(username="moderator").is_superuser
