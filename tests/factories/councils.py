"""Councils and their seats (with periods), placed under the site's council index."""

from __future__ import annotations

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from portal.councils.models import CouncilIndexPage, CouncilMembership, CouncilPage

from .users import UserFactory


def council_index() -> CouncilIndexPage:
    return CouncilIndexPage.objects.filter(locale__language_code="nb").first()


class CouncilPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CouncilPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Brukerutvalget i kommune {n}")
    slug = factory.Sequence(lambda n: f"brukerutvalget-kommune-{n}")
    level = CouncilPage.Level.LOCAL
    parent = factory.LazyFunction(council_index)

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        # Published as an editor would: the publish signal sets up the private space and groups.
        if create:
            page.save_revision().publish()


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    council = factory.SubFactory(CouncilPageFactory)
    user = factory.SubFactory(UserFactory)
    role = CouncilMembership.Role.MEMBER
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    end = None
