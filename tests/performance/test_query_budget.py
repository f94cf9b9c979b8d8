"""Query budget: each page type makes the same number of SQL queries when the content grows tenfold
(more organisations, councils, members, hearings and pages), for anonymous readers and for signed-in
members. A page whose count grows with the content has an N+1 and gets slower for every reader as
the portal fills up. Each page also stays within its budget: at most 10 queries anonymous and 14
signed in (issue #24), except the pages listed in OVER_TARGET, which may not get worse than they are
(bench/README.md says where their queries go)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from portal.core.models import StandardPage
from portal.councils.models import CouncilMembership, CouncilPage
from portal.hearings.models import HearingPage
from portal.organisations.models import OrganisationDraftPage, OrganisationPage
from tests.helpers import demo_page

GROWTH = 10
FFB = "fellesforbundet-for-brukerorganisasjoner"

# Page type: its URL (looked up in the demo). Bokmål unless the name says otherwise.
PAGES = {
    "home": lambda: demo_page("hjem").url,
    "home (en)": lambda: demo_page("hjem", "en").url,
    "hearing index": lambda: demo_page("horinger").url,
    "council index": lambda: demo_page("brukerutvalg").url,
    "organisation index": lambda: demo_page("organisasjoner").url,
    "position paper index": lambda: demo_page("standpunkt").url,
    "umbrella organisation": lambda: demo_page(FFB).url,
    "local council (members)": lambda: demo_page("brukerutvalget-i-bergen").url,
    "county council (councils under it)": lambda: demo_page("brukerutvalget-i-vestland").url,
    "hearing": lambda: demo_page("strategi-for-brukermedvirkning-2027-2030").url,
    "standard page": lambda: demo_page("tilgjengelighet").url,
    "meeting with minutes": lambda: _meeting().url,
    "search results": lambda: "/search/?q=brukerutvalg",
    "login": lambda: "/accounts/login/",
    "not found": lambda: "/finnes-ikke/",
    "training courses": lambda: "/kurs/",
    "training module": lambda: demo_page("modul-2-etaten-og-utvalget").url,
}


ANONYMOUS_TARGET = 10
MEMBER_TARGET = 14
COUNCIL_MEMBER = "utvalgsmedlem"  # member of Brukerutvalget i Bergen, representing an organisation
ORGANISATION_MEMBER = "org-medlem"  # member of FFB

# Pages only members see, and who reads them.
MEMBER_PAGES = {
    "council space": (lambda: demo_page("brukerutvalget-i-bergen").space_url("space"), COUNCIL_MEMBER),
    "council thread": (lambda: _thread_url(), COUNCIL_MEMBER),
    "workspace (council member)": (lambda: _workspace_url(), COUNCIL_MEMBER),
    "workspace (organisation member)": (lambda: _workspace_url(), ORGANISATION_MEMBER),
    "organisation space": (lambda: demo_page(FFB).url + "arbeidsrom/", ORGANISATION_MEMBER),
    "draft response": (lambda: demo_page(FFB).url + "arbeidsrom/svar-strategi/", ORGANISATION_MEMBER),
}
# Every public page, read by a signed-in council member too.
VIEWS = {
    **{(name, None): url for name, url in PAGES.items()},
    **{(name, COUNCIL_MEMBER): url for name, url in PAGES.items()},
    **{(name, viewer): url for name, (url, viewer) in MEMBER_PAGES.items()},
}
# (page, viewer): the most queries it may make, for pages not yet within the targets (each
# figure is what the page makes today: lower it when the page gets cheaper, never raise it). Every
# page is within the targets on SQLite now; PostgreSQL's search plan is added below.
OVER_TARGET: dict[tuple[str, str | None], int] = {}


def _thread_url() -> str:
    from portal.councils.models import Thread

    bergen = demo_page("brukerutvalget-i-bergen")
    thread = Thread.objects.filter(council__translation_key=bergen.translation_key).order_by("pk").first()
    return thread.url_in(bergen)


def _workspace_url() -> str:
    from django.urls import reverse

    return reverse("workspace:home")


def _meeting():
    from portal.meetings.models import MeetingPage

    return MeetingPage.objects.child_of(demo_page("brukerutvalget-i-bergen")).live().order_by("path").first()


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm per-process caches (site root paths, settings) so both counts compare alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 404), f"{url}: {response.status_code}"
    return len(queries)


def client_for(username: str | None) -> Client:
    from tests.helpers import PortalClient

    if username is None:
        return Client()
    member = PortalClient()
    member.force_login(get_user_model().objects.get(username=username))
    return member


def count_view(view: tuple[str, str | None], clients: dict[str | None, Client] | None = None) -> int:
    client = clients[view[1]] if clients is not None else client_for(view[1])
    return count_queries(client, VIEWS[view]())


def _copies(page: Page, how_many: int, counter: itertools.count) -> None:
    """Published copies of a demo page beside it (copying keeps every required field, whatever the
    model grows), each published through a revision so it is indexed for search like real content."""
    for _ in range(how_many):
        number = next(counter)
        copy = page.copy(
            to=page.get_parent(),
            update_attrs={"slug": f"{page.slug}-kopi-{number}", "title": f"{page.title} ({number})"},
            keep_live=False,
            copy_revisions=False,
        )
        copy.save_revision().publish()


def grow_tenfold() -> None:
    counter = itertools.count(1)
    for model in (OrganisationPage, CouncilPage, HearingPage, StandardPage):
        for page in model.objects.filter(locale__language_code="nb").live():
            _copies(page, GROWTH - 1, counter)
    # Working documents in the organisations' spaces: the workspace and the space list them all.
    for page in OrganisationDraftPage.objects.filter(locale__language_code="nb"):
        _copies(page, GROWTH - 1, counter)
    bergen = demo_page("brukerutvalget-i-bergen")
    memberships = list(CouncilMembership.objects.for_council(bergen))
    start = timezone.localdate() - datetime.timedelta(days=30)
    for membership in memberships * (GROWTH - 1):
        number = next(counter)
        user = get_user_model().objects.create_user(username=f"representant-{number}", first_name="Kari",
                                                    last_name=f"Nordmann {number}")
        CouncilMembership.objects.create(council=bergen, user=user, organisation=membership.organisation,
                                         role=CouncilMembership.Role.MEMBER, start=start)
    _grow_courses()


def _grow_courses() -> None:
    """Ten times the county council's courses, each with its arrangers and sign-ups."""
    from portal.training.models import Course, Enrolment

    for course in list(Course.objects.all()):
        arrangers, enrolments = list(course.arrangers.all()), list(course.enrolments.all())
        for number in range(GROWTH - 1):
            copy = Course.objects.get(pk=course.pk)
            copy.pk = None
            copy.title = f"{course.title} ({number})"
            copy.save()
            copy.arrangers.set(arrangers)
            Enrolment.objects.bulk_create([Enrolment(course=copy, user=e.user, organisation=e.organisation)
                                           for e in enrolments])


@pytest.fixture(scope="module")
def budgets(django_db_setup, django_db_blocker):
    """Query counts per page type before growth, then the content grown tenfold for the module's
    tests; everything is rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            clients = {username: client_for(username) for username in (None, COUNCIL_MEMBER, ORGANISATION_MEMBER)}
            before = {view: count_view(view, clients) for view in VIEWS}
            # As if committed: the content generation advances and cached chrome is used again.
            with TestCase.captureOnCommitCallbacks(execute=True):
                grow_tenfold()
            yield before
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_content_really_grew_tenfold(budgets, db):
    assert OrganisationPage.objects.filter(locale__language_code="nb").count() >= 4 * GROWTH
    assert CouncilPage.objects.filter(locale__language_code="nb").count() >= 3 * GROWTH
    assert HearingPage.objects.filter(locale__language_code="nb").count() >= GROWTH
    assert OrganisationDraftPage.objects.filter(locale__language_code="nb").count() >= GROWTH


# PostgreSQL's search plan asks two more (the word checks go through the GIN index one by one);
# SQLite's search page is within the member target.
if connection.vendor == "postgresql":
    OVER_TARGET[("search results", COUNCIL_MEMBER)] = 16


def _label(view: tuple[str, str | None]) -> str:
    return f"{view[0]} ({view[1] or 'anonymous'})"


@pytest.mark.parametrize("view", list(VIEWS), ids=_label)
def test_query_count_does_not_grow_with_the_content(budgets, db, view):
    after = count_view(view)
    assert after <= budgets[view], (
        f"{_label(view)}: {budgets[view]} queries with the demo content, {after} with ten times as much (an N+1?)"
    )


@pytest.mark.parametrize("view", list(VIEWS), ids=_label)
def test_query_count_within_budget(budgets, view):
    target = ANONYMOUS_TARGET if view[1] is None else MEMBER_TARGET
    budget = OVER_TARGET.get(view, target)
    assert budgets[view] <= budget, f"{_label(view)}: {budgets[view]} queries, budget {budget}"


def test_over_target_list_names_only_pages_over_target(budgets):
    """A page that got within the target leaves OVER_TARGET, so it cannot slide back unnoticed."""
    within = [view for view, budget in OVER_TARGET.items()
              if budgets[view] <= (ANONYMOUS_TARGET if view[1] is None else MEMBER_TARGET)]
    assert not within, f"within the target now, remove from OVER_TARGET: {within}"
