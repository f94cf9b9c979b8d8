"""How the visibility service decides about training rows.

- Courses are public, as the council page that lists them (its dates, place and arranger).
- A sign-up (who, their needs, whether they attended): the participant, the course's arrangers, and
  the council's secretary and chair (who follow the council's training).
- A completion: the representative, and the secretary and chair of a council they sit on now.
- An evaluation: only its author; arrangers see answers in aggregate through the selectors, never
  a row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access.users import User
from portal.access.visibility import Policy, register_policy
from portal.councils.models import CouncilMembership

from . import selectors
from .models import Completion, Course, Enrolment, Evaluation


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def can_view_enrolment(user: User, enrolment: Enrolment) -> bool:
    if not _active(user):
        return False
    return (enrolment.user_id == user.pk or selectors.is_arranger(user=user, course=enrolment.course)
            or selectors.follows_training(user=user, council=enrolment.course.council))


def _filter_enrolments(user: User, queryset: Any) -> Any:
    if not _active(user):
        return queryset.none()
    return queryset.filter(
        Q(user=user) | Q(course_id__in=selectors.arranged_course_ids(user))
        | Q(course__council__translation_key__in=selectors.followed_council_keys(user))
    )


def _followed_member_ids(user: User) -> Any:
    return CouncilMembership.objects.current().filter(
        council__translation_key__in=selectors.followed_council_keys(user)).values("user_id")


def can_view_completion(user: User, completion: Completion) -> bool:
    if not _active(user):
        return False
    return completion.user_id == user.pk or _followed_member_ids(user).filter(user_id=completion.user_id).exists()


def _filter_completions(user: User, queryset: Any) -> Any:
    if not _active(user):
        return queryset.none()
    return queryset.filter(Q(user=user) | Q(user_id__in=_followed_member_ids(user)))


def register() -> None:
    register_policy(Course, Policy(
        can_view=lambda user, course: bool(course.council.live),
        can_edit=lambda user, course: selectors.is_arranger(user=user, course=course),
        filter_viewable=lambda user, qs: qs.filter(council__live=True),
    ))
    register_policy(Enrolment, Policy(
        can_view=can_view_enrolment,
        can_edit=lambda user, enrolment: selectors.is_arranger(user=user, course=enrolment.course),
        can_moderate=lambda user, enrolment: selectors.is_arranger(user=user, course=enrolment.course),
        filter_viewable=_filter_enrolments,
    ))
    register_policy(Completion, Policy(
        can_view=can_view_completion,
        can_edit=lambda user, completion: False,
        can_moderate=lambda user, completion: False,
        filter_viewable=_filter_completions,
    ))
    register_policy(Evaluation, Policy(
        can_view=lambda user, evaluation: _active(user) and evaluation.user_id == user.pk,
        can_edit=lambda user, evaluation: False,
        can_moderate=lambda user, evaluation: False,
        filter_viewable=lambda user, qs: qs.filter(user=user) if _active(user) else qs.none(),
    ))
