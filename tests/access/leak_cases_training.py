"""Private kinds of training: a participant's needs on a course's participant list, the secretary's
table of who has completed what (with members' e-mail addresses), and a participant's evaluation
comment. The course itself is public; its page, the course list and the council page are tried as
listings (they answer 200 to everyone and must show none of it)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from portal.councils.models import CouncilMembership
from portal.training import actions
from portal.training.models import Course, Module
from tests.access.leak_cases import PrivateCase, private_kind
from tests.helpers import demo_page, demo_user, make_user
from tests.training.helpers import BERGEN, VESTLAND, at, hold, seated


def _past_secretary():
    """Vestland's secretary until yesterday: a past member who once saw everything. Every training
    case shares the one person (the shared-channel test builds all cases side by side)."""
    existing = get_user_model().objects.filter(username="leak-tidligere-fylkessekretaer").first()
    if existing is not None:
        return existing
    user = make_user("leak-tidligere-fylkessekretaer")
    today = timezone.localdate()
    CouncilMembership.objects.create(council=demo_page(VESTLAND), user=user, role=CouncilMembership.Role.SECRETARY,
                                     start=today - datetime.timedelta(days=700), end=today - datetime.timedelta(days=1))
    return user


def _course(title: str) -> Course:
    return actions.course_create(
        council=demo_page(VESTLAND), actor=demo_user("fylkessekretaer"), module=Module.TWO, title=title,
        starts=at(30), ends=at(31), place="Fylkeskontoret", online=False, county_office=True, arrangers=[],
        capacity=10, signup_deadline=at(20), payer=Course.Payer.AGENCY, travel_covered=True,
    )


def _listing(course: Course) -> list[str]:
    detail = reverse("training:course", args=[course.pk])
    return [detail, "/en" + detail, reverse("training:courses"), "/opplaering/",
            "/brukerutvalg/brukerutvalget-i-vestland/", "/en/brukerutvalg/brukerutvalget-i-vestland/"]


@private_kind("training participant list", past_member=True)
def training_participants() -> PrivateCase:
    secret = "Høreslyngeønske-Kvitingen"
    course = _course("Modul 2 for lekkasjetest")
    actions.sign_up(course=course, user=demo_user("fylke-ny"), needs=f"{secret}: trenger tolk fra Skorvefjell")
    url = reverse("training:participants", args=[course.pk])
    return PrivateCase(secret=secret, hidden=("Skorvefjell",), member=demo_user("fylkessekretaer"),
                       other_member=seated("leak-kurs-bergen", slug=BERGEN), past_member=_past_secretary(),
                       urls={"page": [url, "/nn" + url, "/en" + url], "listing": _listing(course)})


@private_kind("training status table", past_member=True)
def training_table() -> PrivateCase:
    secret = "tabell.hemmelig.teistholmen@example.org"
    person = seated("leak-tabell-medlem", email=secret)
    course = _course("Modul 2 for tabelltest")
    actions.sign_up(course=course, user=person)
    url = reverse("training:council", args=[demo_page(VESTLAND).pk])
    # The chair, not only the secretary, follows the table: the member here is the chair.
    return PrivateCase(secret=secret, member=demo_user("fylkesleder"),
                       other_member=seated("leak-tabell-bergen", slug=BERGEN, role="chair"),
                       past_member=_past_secretary(),
                       urls={"page": [url, "/nn" + url, "/en" + url], "listing": _listing(course)})


@private_kind("training evaluation", past_member=True)
def training_evaluation() -> PrivateCase:
    secret = "Kursvurdering-Lundeskjær"
    course = _course("Modul 2 for evalueringstest")
    people = [demo_user(name) for name in ("fylke-ny", "fylke-urb", "fylke-etat")]
    for person in people:
        actions.sign_up(course=course, user=person)
    hold(course)
    actions.record_attendance(course=course, actor=demo_user("fylkessekretaer"),
                              attended_ids=set(course.enrolments.values_list("pk", flat=True)))
    for index, person in enumerate(people):
        comment = f"{secret}: for lite om Nordnesbakken" if index == 0 else "Greit kurs"
        actions.evaluate(course=course, user=person, overall=4, role_clarity=4, comment=comment)
    url = reverse("training:participants", args=[course.pk])
    return PrivateCase(secret=secret, hidden=("Nordnesbakken",), member=demo_user("fylkessekretaer"),
                       other_member=seated("leak-evaluering-bergen", slug=BERGEN), past_member=_past_secretary(),
                       urls={"page": [url, "/en" + url, reverse("training:evaluate", args=[course.pk])],
                             "listing": _listing(course)})
