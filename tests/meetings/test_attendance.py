"""Attendance on a meeting page: headed by what happened, and only people whose seat covers the
meeting's date."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup

from portal.councils.models import CouncilMembership
from portal.meetings.models import Attendance, MeetingPage
from portal.meetings.selectors import attendance_for
from tests.factories.councils import CouncilMembershipFactory, CouncilPageFactory
from tests.factories.users import UserFactory
from tests.meetings.factories import at

pytestmark = pytest.mark.django_db


def _meeting(council, *, days: int, attendance: list[tuple]) -> MeetingPage:
    page = MeetingPage(
        title="Utvalgsmøte", slug=f"mote-{days}", start=at(days), status=MeetingPage.Status.HELD,
        attendance=[Attendance(user=user, status=status) for user, status in attendance],
    )
    council.add_child(instance=page)
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


def _groups(client, page) -> dict[str, list[str]]:
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    section = soup.find(id="attendance-heading").parent
    return {h3.get_text(strip=True): [li.get_text(strip=True) for li in h3.find_next_sibling("ul").find_all("li")]
            for h3 in section.find_all("h3")}


def test_absentees_and_substitutes_have_their_own_headings(client):
    council = CouncilPageFactory()
    present, away, substitute = (UserFactory(first_name=n, last_name="Test") for n in ("Kari", "Ola", "Siri"))
    for user in (present, away, substitute):
        CouncilMembershipFactory(council=council, user=user)
    page = _meeting(council, days=-3, attendance=[
        (present, Attendance.Status.PRESENT), (away, Attendance.Status.APOLOGIES),
        (substitute, Attendance.Status.SUBSTITUTE),
    ])
    groups = _groups(client, page)
    assert groups == {"Til stede": ["Kari Test"], "Vararepresentant møtte": ["Siri Test"],
                      "Meldt forfall": ["Ola Test"]}


def test_a_member_whose_period_ended_before_the_meeting_is_not_listed(client):
    council = CouncilPageFactory()
    current, former = UserFactory(first_name="Ingrid", last_name="Nå"), UserFactory(first_name="Per", last_name="Før")
    CouncilMembershipFactory(council=council, user=current)
    CouncilMembershipFactory(council=council, user=former, start=datetime.date(2022, 1, 1),
                             end=datetime.date(2024, 12, 31))
    page = _meeting(council, days=-3, attendance=[
        (current, Attendance.Status.PRESENT), (former, Attendance.Status.APOLOGIES),
    ])
    body = client.get(page.url).content.decode()
    assert "Ingrid Nå" in body
    assert "Per Før" not in body
    # The same meeting dated inside the old period lists them.
    old = _meeting(council, days=(datetime.date(2024, 6, 3) - datetime.date.today()).days, attendance=[
        (former, Attendance.Status.APOLOGIES),
    ])
    assert _groups(client, old) == {"Meldt forfall": ["Per Før"]}
    assert CouncilMembership.objects.filter(user=former).count() == 1


def test_attendance_costs_the_same_queries_for_ten_times_the_people(client, django_assert_max_num_queries):
    council = CouncilPageFactory()
    few = [UserFactory() for _ in range(2)]
    many = [UserFactory() for _ in range(20)]
    for user in few + many:
        CouncilMembershipFactory(council=council, user=user)
    small = _meeting(council, days=-3, attendance=[(u, Attendance.Status.PRESENT) for u in few])
    large = _meeting(council, days=-4, attendance=[(u, Attendance.Status.PRESENT) for u in many])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get(small.url)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(large.url)
    assert response.content.decode().count("<li>") >= 20


def test_a_preview_lists_attendance_by_the_same_rule():
    """An editor's preview holds the attendance rows in memory (not as a query): same rule."""
    council = CouncilPageFactory()
    current, former = UserFactory(first_name="Ingrid", last_name="Nå"), UserFactory(first_name="Per", last_name="Før")
    CouncilMembershipFactory(council=council, user=current)
    CouncilMembershipFactory(council=council, user=former, start=datetime.date(2022, 1, 1),
                             end=datetime.date(2024, 12, 31))
    page = _meeting(council, days=-3, attendance=[
        (current, Attendance.Status.PRESENT), (former, Attendance.Status.APOLOGIES),
    ])
    draft = page.get_latest_revision().as_object()
    assert [row.user.first_name for row in attendance_for(meeting=draft)] == ["Ingrid"]
    assert [row.user.first_name for row in attendance_for(meeting=page)] == ["Ingrid"]
