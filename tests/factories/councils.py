"""Councils and their seats (with periods), placed under the site's council index."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from portal.councils.models import CouncilIndexPage, CouncilMembership, CouncilPage

from .pages import PublishedPageFactory
from .users import UserFactory


def council_index() -> CouncilIndexPage:
    return CouncilIndexPage.objects.filter(locale__language_code="nb").first()


class CouncilPageFactory(PublishedPageFactory):
    class Meta:
        model = CouncilPage

    title = factory.Sequence(lambda n: f"Brukerutvalget i kommune {n}")
    slug = factory.Sequence(lambda n: f"brukerutvalget-kommune-{n}")
    level = CouncilPage.Level.LOCAL
    parent = factory.LazyFunction(council_index)


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    council = factory.SubFactory(CouncilPageFactory)
    user = factory.SubFactory(UserFactory)
    role = CouncilMembership.Role.MEMBER
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    end = None
