"""Organisations and their members, placed under the site's organisation index."""

from __future__ import annotations

import factory

from portal.organisations.models import OrganisationIndexPage, OrganisationMembership, OrganisationPage

from .pages import PublishedPageFactory
from .users import UserFactory


def organisation_index() -> OrganisationIndexPage:
    return OrganisationIndexPage.objects.filter(locale__language_code="nb").first()


class OrganisationPageFactory(PublishedPageFactory):
    class Meta:
        model = OrganisationPage

    title = factory.Sequence(lambda n: f"Brukerforeningen nr. {n}")
    slug = factory.Sequence(lambda n: f"brukerforeningen-{n}")
    short_name = factory.Sequence(lambda n: f"BF{n}")
    parent = factory.LazyFunction(organisation_index)


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationPageFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMembership.Role.MEMBER
