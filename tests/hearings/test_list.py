"""The public list of hearings: filters by status, year and owner, a countdown, bad filter values
reported and ignored, and a query count that does not grow with the number of hearings."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.hearings.selectors import countdown
from tests.hearings.helpers import make_hearing
from tests.helpers import text

pytestmark = pytest.mark.django_db

URL = "/horinger/"


def titles(response) -> list[str]:
    return re.findall(r'<h2 class="item__title"><a href="[^"]*">([^<]*)</a>', text(response))


def test_status_filters_show_only_hearings_in_that_status(client):
    for status, expected in (
        ("open", "Høring – strategi for brukermedvirkning 2027–2030"),
        ("closed", "Høring – retningslinjer for godtgjøring av brukerrepresentanter"),
        ("concluded", "Høring – opplæringsprogram for brukerutvalg"),
    ):
        shown = titles(client.get(URL, {"status": status}))
        assert shown == [expected], status


def test_year_filter_uses_the_deadline_year(client):
    next_year = timezone.now().year + 2
    make_hearing("liste-aar", deadline=timezone.make_aware(datetime.datetime(next_year, 3, 1, 12)),
                 title="Høring om framtidige hjelpemidler")
    assert titles(client.get(URL, {"year": next_year})) == ["Høring om framtidige hjelpemidler"]


def test_owner_filter(client):
    make_hearing("liste-eier", owner_unit="Seksjon for hjelpemidler", title="Høring om tolketjenester")
    assert titles(client.get(URL, {"owner": "Seksjon for hjelpemidler"})) == ["Høring om tolketjenester"]


def test_unknown_filter_values_are_reported_and_ignored(client):
    response = client.get(URL, {"status": "<script>x</script>", "year": "abc", "owner": "Ingen slik avdeling"})
    assert response.status_code == 200
    body = text(response)
    assert "<script>x</script>" not in body
    assert 'role="alert"' in body
    assert len(titles(response)) >= 3


def test_open_hearings_show_a_countdown(client):
    body = text(client.get(URL))
    assert re.search(r'class="countdown">\d+ dager igjen<|class="countdown">\d+ days left<', body)


@pytest.mark.parametrize(("delta", "expected"), [
    (datetime.timedelta(days=3, hours=2), "3 days left"),
    (datetime.timedelta(days=1, hours=2), "1 day left"),
    (datetime.timedelta(hours=5, minutes=3), "5 hours left"),
    (datetime.timedelta(minutes=70), "1 hour left"),
    (datetime.timedelta(minutes=20), "Less than an hour left"),
    (datetime.timedelta(seconds=-1), "The deadline has passed"),
])
def test_countdown_text(delta, expected):
    from django.utils import translation

    now = timezone.now()
    with translation.override("en"):
        assert countdown(now + delta, now) == expected


def test_the_list_costs_the_same_number_of_queries_with_more_hearings(client):
    # Both measurements after a write in the test's transaction: the layout's per-generation cache
    # is not used on a connection with uncommitted changes (portal/access/generation.py), so the
    # counts compare the same kind of request.
    make_hearing("liste-mange-forst", days=9)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for number in range(4):
        make_hearing(f"liste-mange-{number}", days=number + 1)
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL)
    assert len(titles(response)) >= 8
    assert len(after.captured_queries) == len(before.captured_queries)


def test_hearing_page_costs_the_same_number_of_queries_with_more_responses(client):
    from tests.hearings.helpers import accept, make_response

    hearing = make_hearing("side-mange-svar")
    accept(make_response(hearing, "fellesforbundet-for-brukerorganisasjoner", slug="svar-a"))
    client.get(hearing.url)
    with CaptureQueriesContext(connection) as before:
        client.get(hearing.url)
    accept(make_response(hearing, "ungdomsradet-for-brukermedvirkning", slug="svar-b"))
    accept(make_response(hearing, "landsforeningen-for-kronisk-syke", slug="svar-c",
                         parts=[("1", "comment", "Enig.", ""), ("2", "amendment", "Ny tekst.", "Annen tekst.")]))
    with CaptureQueriesContext(connection) as after:
        client.get(hearing.url)
    assert len(after.captured_queries) == len(before.captured_queries)
