"""Shared set-up for the training tests: Vestland's demo council, its secretary, and courses."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.councils import actions as council_actions
from portal.training import actions
from portal.training.models import Course, Module
from tests.helpers import demo_page, demo_user, make_user

VESTLAND = "brukerutvalget-i-vestland"
BERGEN = "brukerutvalget-i-bergen"


def vestland():
    return demo_page(VESTLAND)


def secretary():
    return demo_user("fylkessekretaer")


def at(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def module_2_course(**overrides: Any) -> Course:
    fields = dict(
        council=vestland(), actor=secretary(), module=Module.TWO, title="Modul 2 – høst", starts=at(30),
        ends=at(31), place="Fylkeskontoret, Bergen", online=False, county_office=True, arrangers=[], capacity=10,
        signup_deadline=at(20), payer=Course.Payer.AGENCY, travel_covered=True,
    )
    fields.update(overrides)
    return actions.course_create(**fields)


def seated(username: str, *, slug: str = VESTLAND, organisation=None, role: str = "member", **fields: Any):
    user = make_user(username)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    council_actions.membership_add(council=demo_page(slug), user=user, role=role, organisation=organisation)
    return user


def hold(course: Course, *, days_ago: float = 1) -> Course:
    """Move a course into the past (as if time had passed)."""
    Course.objects.filter(pk=course.pk).update(starts=at(-days_ago - 1), ends=at(-days_ago),
                                               signup_deadline=at(-days_ago - 10))
    course.refresh_from_db()
    return course
