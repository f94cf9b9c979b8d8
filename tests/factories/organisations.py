"""Organisations and their members, placed under the site's organisation index."""

from __future__ import annotations

import factory
import wagtail_factories

from portal.organisations.models import OrganisationIndexPage, OrganisationMembership, OrganisationPage

from .users import UserFactory


def organisation_index() -> OrganisationIndexPage:
    return OrganisationIndexPage.objects.filter(locale__language_code="nb").first()


class OrganisationPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = OrganisationPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Brukerforeningen nr. {n}")
    slug = factory.Sequence(lambda n: f"brukerforeningen-{n}")
    short_name = factory.Sequence(lambda n: f"BF{n}")
    parent = factory.LazyFunction(organisation_index)

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        # Published as an editor would: the publish signal sets up the private space and groups.
        if create:
            page.save_revision().publish()


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationPageFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMembership.Role.MEMBER
