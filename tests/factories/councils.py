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


def translated(page: CouncilPage, *codes: str) -> CouncilPage:
    """Publish the page's translations (its parent's translations must exist: the skeleton has them)."""
    from wagtail.models import Locale

    for code in codes:
        copy = page.copy_for_translation(Locale.objects.get(language_code=code))
        copy.save_revision().publish()
    return page


def council_chain(prefix: str) -> tuple[CouncilPage, CouncilPage, CouncilPage]:
    """A national council, a county council below it and a local council below that, each with its
    parent set, under slugs starting with ``prefix`` (so they never meet the demo's own councils)."""
    national = CouncilPageFactory(title="Sentralt brukerutvalg", slug=f"{prefix}-sentralt",
                                  level=CouncilPage.Level.NATIONAL)
    county = CouncilPageFactory(title="Brukerutvalget i Vestland", slug=f"{prefix}-vestland", region="Vestland",
                                level=CouncilPage.Level.COUNTY, parent_council=national)
    local = CouncilPageFactory(title="Brukerutvalget i Bergen", slug=f"{prefix}-bergen", region="Bergen",
                               level=CouncilPage.Level.LOCAL, parent_council=county)
    return national, county, local
