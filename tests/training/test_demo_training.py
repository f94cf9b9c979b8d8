"""The demo's county council has held both modules, has a course coming, and members missing one
module or both; loading the demo again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.training import selectors
from portal.training.models import Completion, Course, Enrolment, Module, TrainingModulePage
from tests.training.helpers import vestland

pytestmark = pytest.mark.django_db


def _counts():
    return Course.objects.count(), Enrolment.objects.count(), Completion.objects.count(), \
        TrainingModulePage.objects.count()


def test_vestland_has_held_both_modules_and_some_members_miss_one():
    held = {course.module for course in selectors.past_courses(council=vestland())}
    assert held == {Module.ONE, Module.TWO}
    assert selectors.upcoming_courses(council=vestland())
    rows = selectors.member_rows(council=vestland())
    statuses = [[m.status for m in row.modules] for row in rows]
    assert ["completed", "completed"] in statuses
    assert any(s.count("missing") == 1 for s in statuses)
    count = selectors.public_count(council=vestland())
    assert 0 < count.completed < count.total
    # Both modules exist as pages in all three languages.
    assert TrainingModulePage.objects.filter(number=Module.TWO).values("locale").distinct().count() == 3


def test_loading_the_demo_again_adds_no_training_rows():
    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before
