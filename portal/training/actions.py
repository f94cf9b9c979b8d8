"""Changes to training: creating courses, signing up, recording attendance (which records completion),
evaluating a course and the council's renewal period. Each refuses bad input with a translated
message and changes nothing then."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.access.users import Account, User, as_account
from portal.councils import selectors as councils
from portal.councils.models import CouncilPage

from . import selectors
from .models import Completion, CouncilTrainingSettings, Course, Enrolment, Evaluation, Module

MAX_TEXT = 2000


class TrainingError(ValidationError):
    """A refusal the user can act on; the message is shown as it is."""


def _local(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@transaction.atomic
def course_create(
    *,
    council: CouncilPage,
    actor: User,
    module: int,
    title: str,
    starts: datetime.datetime,
    ends: datetime.datetime,
    place: str,
    online: bool,
    county_office: bool,
    arrangers: list[Any],
    capacity: int,
    signup_deadline: datetime.datetime,
    payer: str,
    travel_covered: bool,
    cost: Decimal | None = None,
    cost_note: str = "",
) -> Course:
    council = councils.source_council(council)
    if not selectors.may_create_courses(user=actor, council=council):
        raise PermissionDenied(_("Only the council's secretary or the lead of an organisation on the council can "
                                 "create courses."))
    is_secretary = selectors._superuser(actor) or councils.is_secretary(user=actor, council=council)
    if not is_secretary:
        # A lead arranges module 1 for their own organisations; module 2 belongs to the county office.
        led = {org.translation_key for org in selectors.organisations_on_council_led_by(user=actor, council=council)}
        if module != Module.ONE or county_office:
            raise TrainingError(_("An organisation can arrange module 1 only; module 2 is arranged by the county "
                                  "office."), code="lead_module")
        if not arrangers or any(org.translation_key not in led for org in arrangers):
            raise TrainingError(_("Choose the organisation you lead as the arranger."), code="lead_arranger")
    if not county_office and not arrangers:
        raise TrainingError(_("Choose the arranging organisations, or the county office."), code="no_arranger")
    course = Course(
        council=council, module=module, title=title.strip(), starts=starts, ends=ends, place=place.strip(),
        online=online, county_office=county_office, capacity=capacity, signup_deadline=signup_deadline,
        payer=payer, travel_covered=travel_covered, cost=cost, cost_note=cost_note.strip(),
        created_by=as_account(actor),
    )
    course.full_clean()
    course.save()
    course.arrangers.set([org for org in arrangers])
    return course


@transaction.atomic
def sign_up(*, course: Course, user: User, needs: str = "") -> Enrolment:
    # Lock the course row so two people cannot both take the last place.
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not selectors.may_sign_up(user=user, course=course):
        raise PermissionDenied(_("Only the council's current members can sign up for its courses."))
    user = as_account(user)
    if course.enrolments.filter(user=user).exists():
        raise TrainingError(_("You are already signed up for this course."), code="already")
    if not course.signup_open:
        raise TrainingError(_("Sign-up for this course closed on %(deadline)s.") % {
            "deadline": _local(course.signup_deadline)}, code="closed")
    if course.enrolments.count() >= course.capacity:
        raise TrainingError(_("The course is full: all %(places)s places are taken.") % {"places": course.capacity},
                            code="full")
    if len(needs) > MAX_TEXT:
        raise TrainingError(_("The text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT},
                            code="too_long")
    membership = councils.current_memberships(council=course.council).filter(user=user).first()
    return Enrolment.objects.create(course=course, user=user, needs=needs.strip(),
                                    organisation=membership.organisation if membership else None)


@transaction.atomic
def withdraw(*, course: Course, user: User) -> None:
    enrolment = selectors.enrolment_of(user=user, course=course)
    if enrolment is None:
        raise TrainingError(_("You are not signed up for this course."), code="not_signed_up")
    if not course.signup_open:
        raise TrainingError(_("Sign-up has closed; ask the arranger to take you off the list."), code="closed")
    enrolment.delete()


@transaction.atomic
def record_attendance(*, course: Course, actor: User, attended_ids: set[int]) -> None:
    """Mark who attended (every other participant did not); attending completes the module on the
    course's last day, and un-marking removes that completion again."""
    if not selectors.is_arranger(user=actor, course=course):
        raise PermissionDenied(_("Only the course's arranger can record attendance."))
    actor = as_account(actor)
    if not course.has_started:
        raise TrainingError(_("Attendance can be recorded once the course has started."), code="not_started")
    enrolments = list(Enrolment.objects.select_for_update().filter(course=course))
    unknown = attended_ids - {e.pk for e in enrolments}
    if unknown:
        raise TrainingError(_("Someone in the list is no longer signed up. Reload the page and try again."),
                            code="unknown")
    now = timezone.now()
    completed_on = timezone.localtime(course.ends).date()
    for enrolment in enrolments:
        attended = enrolment.pk in attended_ids
        if enrolment.attended != attended:
            enrolment.attended = attended
            enrolment.attendance_recorded_at = now
            enrolment.attendance_recorded_by = actor
            enrolment.save(update_fields=["attended", "attendance_recorded_at", "attendance_recorded_by"])
        if attended:
            Completion.objects.get_or_create(
                user=enrolment.user, course=course,
                defaults={"module": course.module, "completed_on": completed_on, "recorded_by": actor},
            )
        else:
            Completion.objects.filter(user=enrolment.user, course=course).delete()


@transaction.atomic
def evaluate(*, course: Course, user: User, overall: int, role_clarity: int, comment: str = "") -> Evaluation:
    if not selectors.may_evaluate(user=user, course=course):
        raise PermissionDenied(_("Only participants who attended can evaluate the course, once it is over."))
    if selectors.has_evaluated(user=user, course=course):
        raise TrainingError(_("You have already evaluated this course. Thank you!"), code="already")
    if len(comment) > MAX_TEXT:
        raise TrainingError(_("The text is too long (at most %(limit)s characters).") % {"limit": MAX_TEXT},
                            code="too_long")
    evaluation = Evaluation(course=course, user=as_account(user), overall=overall, role_clarity=role_clarity,
                            comment=comment.strip())
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def set_renewal(*, council: CouncilPage, actor: User, months: int | None) -> CouncilTrainingSettings:
    if not selectors._superuser(actor) and not councils.is_secretary(user=actor, council=council):
        raise PermissionDenied(_("Only the council's secretary can change the renewal period."))
    if months is not None and not 1 <= months <= 240:
        raise TrainingError(_("Give the period in months, between 1 and 240."), code="range")
    settings, _created = CouncilTrainingSettings.objects.get_or_create(council_key=council.translation_key)
    settings.renewal_months = months
    settings.save(update_fields=["renewal_months"])
    return settings


@transaction.atomic
def completion_record(*, council: CouncilPage, actor: User, user: Account, module: int,
                      completed_on: datetime.date) -> Completion:
    """The secretary records a module completed outside the portal (before it, or elsewhere)."""
    if not selectors._superuser(actor) and not councils.is_secretary(user=actor, council=council):
        raise PermissionDenied(_("Only the council's secretary can record completed modules."))
    if not councils.is_member(user=user, council=council):
        raise TrainingError(_("That person is not a current member of the council."), code="not_member")
    if module not in Module.values:
        raise TrainingError(_("Choose module 1 or module 2."), code="module")
    if completed_on > timezone.localdate():
        raise TrainingError(_("The date of completion cannot be in the future."), code="future")
    return Completion.objects.create(user=user, module=module, completed_on=completed_on, recorded_by=as_account(actor))
