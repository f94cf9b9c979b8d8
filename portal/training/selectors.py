"""Reads about training: courses, who may arrange or follow them, each member's status per module,
the public count, evaluations in aggregate and the reminders that are due.

Who sits on a council and who leads an organisation come from the councils' and organisations'
selectors; this module only combines them with training rows."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from portal.access import generation
from portal.access.users import User, is_active_user
from portal.access.visibility import viewable_pages
from portal.core.selectors import localized_pages
from portal.councils import selectors as councils
from portal.councils.models import CouncilMembership, CouncilPage
from portal.organisations import selectors as organisations
from portal.organisations.models import OrganisationMembership

from .models import Completion, CouncilTrainingSettings, Course, Enrolment, Evaluation, Module, TrainingModulePage

# A new member is reminded of a missing module this long after joining.
GRACE_MONTHS = 3
# Free-text comments are shown to the arranger only when this many answered: fewer could be traced
# back to a person.
MIN_ANSWERS_FOR_COMMENTS = 3


_authenticated = is_active_user  # the same rule; the checker then knows the user is an account


def _superuser(user: User) -> bool:
    return _authenticated(user) and bool(user.is_superuser)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


# --- courses ----------------------------------------------------------------------------------------


def courses(*, council: Page | None = None, module: int | None = None) -> QuerySet[Course]:
    queryset = Course.objects.select_related("council").prefetch_related("arrangers").annotate(
        signed_up=Count("enrolments", distinct=True)
    )
    if council is not None:
        queryset = queryset.filter(council__translation_key=council.translation_key)
    if module is not None:
        queryset = queryset.filter(module=module)
    return queryset.order_by("starts", "pk")


def upcoming_courses(*, council: Page | None = None, module: int | None = None) -> list[Course]:
    """Courses not yet over, of live councils (a course is public exactly as its council is)."""
    queryset = courses(council=council, module=module).filter(ends__gte=timezone.now(), council__live=True)
    return list(queryset)


def past_courses(*, council: Page) -> list[Course]:
    return list(courses(council=council).filter(ends__lt=timezone.now()).order_by("-starts", "-pk"))


def course(*, course_id: int) -> Course | None:
    return courses().filter(pk=course_id).first()


def places_left(*, course: Course) -> int:
    taken = course.enrolments.count()
    return max(course.capacity - taken, 0)


def arranger_names(*, course: Course) -> list[str]:
    return describe(courses=[course])[0].arranger_names


def describe(*, courses: list[Course]) -> list[Course]:
    """Set ``arranger_names`` (in the reader's language), ``places_left`` and ``localized_council``
    on each course, with the same few queries for any number of courses."""
    arrangers = _localized([org for course in courses for org in course.arrangers.all()])
    titles: dict[str, str] = {page.translation_key: page.title for page in arrangers}
    councils_by_key = {page.translation_key: page for page in _localized([course.council for course in courses])}
    for course in courses:
        names = sorted({titles.get(org.translation_key, org.title or "") for org in course.arrangers.all()})
        course.arranger_names = ([_("The agency's county office")] if course.county_office else []) + names
        taken = getattr(course, "signed_up", None)
        course.places_left = max(course.capacity - (taken if taken is not None else course.enrolments.count()), 0)
        course.localized_council = councils_by_key.get(course.council.translation_key, course.council)
    return courses


def _localized(pages: list[Page]) -> list[Page]:
    return list(localized_pages(pages))


def module_page(*, module: int) -> Page | None:
    """The module's page in the reader's language, if one is live and public."""
    page = viewable_pages(AnonymousUser(), TrainingModulePage.objects.filter(number=module)).order_by("pk").first()
    return page.localized if page is not None else None


# --- who may do what ---------------------------------------------------------------------------------


def _council_roles(user: User, council: Page) -> set[str]:
    return councils.current_roles(user=user, council=council)


def is_arranger(*, user: User, course: Course) -> bool:
    """The county office's courses are run by the council's secretary; an organisation's by its lead."""
    if not _authenticated(user):
        return False
    if _superuser(user):
        return True
    if course.county_office and councils.is_secretary(user=user, council=course.council):
        return True
    return any(organisations.is_lead(user=user, organisation=org) for org in course.arrangers.all())


def arranged_course_ids(user: User) -> set[int]:
    if not _authenticated(user):
        return set()
    led = OrganisationMembership.objects.filter(user=user, role=OrganisationMembership.Role.LEAD).values(
        "organisation__translation_key")
    secretary_keys = CouncilMembership.objects.current().filter(
        user=user, role=CouncilMembership.Role.SECRETARY).values("council__translation_key")
    return set(Course.objects.filter(
        Q(arrangers__translation_key__in=led) | Q(county_office=True, council__translation_key__in=secretary_keys)
    ).values_list("pk", flat=True))


def follows_training(*, user: User, council: Page) -> bool:
    """The council's secretary and chair follow who has completed what (and site administrators)."""
    if _superuser(user):
        return True
    roles = _council_roles(user, council)
    return bool(roles & {CouncilMembership.Role.SECRETARY, CouncilMembership.Role.CHAIR})


def followed_council_keys(user: User) -> set:
    if not _authenticated(user):
        return set()
    return set(CouncilMembership.objects.current().filter(
        user=user, role__in=[CouncilMembership.Role.SECRETARY, CouncilMembership.Role.CHAIR],
    ).values_list("council__translation_key", flat=True))


def led_organisations(*, user: User) -> list[Page]:
    if not _authenticated(user):
        return []
    return [m.organisation for m in OrganisationMembership.objects.filter(
        user=user, role=OrganisationMembership.Role.LEAD).select_related("organisation")]


def may_create_courses(*, user: User, council: Page) -> bool:
    """The secretary (module 2 for the county office, or module 1 for organisations), and the lead of
    an organisation that has a representative on the council (module 1 for their organisation)."""
    if _superuser(user) or councils.is_secretary(user=user, council=council):
        return True
    return bool(organisations_on_council_led_by(user=user, council=council))


def organisations_on_council_led_by(*, user: User, council: Page) -> list[Page]:
    led = led_organisations(user=user)
    if not led:
        return []  # most readers lead nothing: no need to ask who sits on the council
    represented = set(councils.current_memberships(council=council).exclude(organisation=None).values_list(
        "organisation__translation_key", flat=True))
    return [org for org in led if org.translation_key in represented]


def may_sign_up(*, user: User, course: Course) -> bool:
    return _authenticated(user) and councils.is_member(user=user, council=course.council)


def enrolment_of(*, user: User, course: Course) -> Enrolment | None:
    if not _authenticated(user):
        return None
    return course.enrolments.filter(user=user).first()


def participants(*, course: Course) -> QuerySet[Enrolment]:
    return course.enrolments.select_related("user", "organisation").order_by(
        "user__last_name", "user__first_name", "user__username")


# --- status per member ---------------------------------------------------------------------------------


class Status:
    COMPLETED = "completed"
    EXPIRED = "expired"
    SIGNED_UP = "signed_up"
    MISSING = "missing"


@dataclass
class ModuleStatus:
    module: int
    status: str
    completed_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    course: Course | None = None


@dataclass
class MemberRow:
    membership: CouncilMembership
    joined: datetime.date
    modules: list[ModuleStatus] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(m.status == Status.COMPLETED for m in self.modules)


def renewal_months(*, council: Page) -> int | None:
    """Kept per content generation (a change of the settings starts a new one, TrainingConfig)."""

    def compute() -> int | None:
        settings = CouncilTrainingSettings.objects.filter(council_key=council.translation_key).first()
        return settings.renewal_months if settings else None

    return generation.cached("renewal-months", (council.translation_key,), compute)


def representatives(*, council: Page, on: datetime.date | None = None) -> list[CouncilMembership]:
    """Everyone currently on the council who must hold the training: representatives from the
    organisations and from the agency, the chair included; the secretary serves the council."""
    rows = councils.current_memberships(council=council)
    if on is not None:
        rows = councils.memberships(council=council).current(on)
    return list(rows.exclude(role=CouncilMembership.Role.SECRETARY).order_by(
        "user__last_name", "user__first_name", "pk"))


def latest_completions(user_ids: set[int]) -> dict[tuple[int, int], Completion]:
    latest: dict[tuple[int, int], Completion] = {}
    for completion in Completion.objects.filter(user_id__in=user_ids).select_related("course").order_by(
            "completed_on", "pk"):
        latest[(completion.user_id, completion.module)] = completion
    return latest


def pending_enrolments(user_ids: set[int]) -> dict[tuple[int, int], Enrolment]:
    """Sign-ups for courses that are not over, or whose attendance is not recorded yet."""
    pending: dict[tuple[int, int], Enrolment] = {}
    rows = Enrolment.objects.filter(user_id__in=user_ids).filter(
        Q(course__ends__gte=timezone.now()) | Q(attended__isnull=True)
    ).select_related("course").order_by("-course__starts")
    for enrolment in rows:
        pending[(enrolment.user_id, enrolment.course.module)] = enrolment
    return pending


def member_rows(*, council: Page, today: datetime.date | None = None,
                current: list[CouncilMembership] | None = None) -> list[MemberRow]:
    """``current``: the council's current memberships with their organisations localized, when the
    caller has them (the council page has): those who must hold the training are taken from them."""
    today = today or timezone.localdate()
    if current is None:
        memberships = representatives(council=council, on=today)
        councils.localize_organisations(memberships)
    else:
        memberships = [m for m in current if m.role != CouncilMembership.Role.SECRETARY and m.is_current(today)]
    user_ids = {m.user_id for m in memberships}
    completions = latest_completions(user_ids)
    pending = pending_enrolments(user_ids)
    months = renewal_months(council=council)
    rows: list[MemberRow] = []
    seen: set[int] = set()
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        row = MemberRow(membership=membership, joined=membership.start)
        for module in Module.values:
            completion = completions.get((membership.user_id, module))
            if completion is not None:
                expires = add_months(completion.completed_on, months) if months else None
                status = Status.EXPIRED if expires is not None and expires <= today else Status.COMPLETED
                if status == Status.EXPIRED and (membership.user_id, module) in pending:
                    status = Status.SIGNED_UP
                row.modules.append(ModuleStatus(module, status, completion.completed_on, expires, completion.course))
            elif (membership.user_id, module) in pending:
                enrolment = pending[(membership.user_id, module)]
                row.modules.append(ModuleStatus(module, Status.SIGNED_UP, course=enrolment.course))
            else:
                row.modules.append(ModuleStatus(module, Status.MISSING))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class PublicCount:
    completed: int
    total: int


def public_count(*, council: Page, current: list[CouncilMembership] | None = None) -> PublicCount:
    """How many current members hold both modules: numbers only, never who (``current``: see
    ``member_rows``; the count does not depend on the rows' order)."""
    rows = member_rows(council=council, current=current)
    return PublicCount(completed=sum(1 for row in rows if row.complete), total=len(rows))


# --- evaluations ------------------------------------------------------------------------------------------


def may_evaluate(*, user: User, course: Course) -> bool:
    """Participants marked as attending, once the course is over."""
    if not _authenticated(user) or not course.has_ended:
        return False
    return course.enrolments.filter(user=user, attended=True).exists()


def has_evaluated(*, user: User, course: Course) -> bool:
    return _authenticated(user) and Evaluation.objects.filter(course=course, user=user).exists()


@dataclass(frozen=True)
class EvaluationSummary:
    answers: int
    overall: float | None
    role_clarity: float | None
    overall_counts: list[tuple[int, int]]
    role_counts: list[tuple[int, int]]
    # Unattributed and in no particular order; empty below the threshold.
    comments: list[str]
    comments_withheld: bool


def evaluation_summary(*, course: Course) -> EvaluationSummary:
    rows = Evaluation.objects.filter(course=course)
    averages = rows.aggregate(overall=Avg("overall"), role_clarity=Avg("role_clarity"))
    answers = rows.count()
    overall = Counter(rows.values_list("overall", flat=True))
    role = Counter(rows.values_list("role_clarity", flat=True))
    comments = sorted(c for c in rows.exclude(comment="").values_list("comment", flat=True))
    withheld = bool(comments) and answers < MIN_ANSWERS_FOR_COMMENTS
    return EvaluationSummary(
        answers=answers, overall=averages["overall"], role_clarity=averages["role_clarity"],
        overall_counts=[(score, overall.get(score, 0)) for score in range(1, 6)],
        role_counts=[(score, role.get(score, 0)) for score in range(1, 6)],
        comments=[] if withheld else comments, comments_withheld=withheld,
    )


# --- reminders -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    council: CouncilPage
    membership: CouncilMembership
    module: int
    reason: str
    completed_on: datetime.date | None


def due_reminders(*, today: datetime.date) -> list[DueReminder]:
    """Every module missing three months after a member joined, and every completion older than the
    council's renewal period, for all live councils; the caller skips what was already sent."""
    due: list[DueReminder] = []
    seen: set = set()
    for council in CouncilPage.objects.live().order_by("pk"):
        if council.translation_key in seen:
            continue
        seen.add(council.translation_key)
        source = councils.source_council(council)
        for row in member_rows(council=source, today=today):
            for status in row.modules:
                if status.status == Status.MISSING and add_months(row.joined, GRACE_MONTHS) <= today:
                    due.append(DueReminder(source, row.membership, status.module, "missing", None))
                elif status.status == Status.EXPIRED:
                    due.append(DueReminder(source, row.membership, status.module,
                                           f"expired:{status.completed_on}", status.completed_on))  # ISO date
    return due


def organisation_leads(*, organisation: Page | None) -> list[Any]:
    if organisation is None:
        return []
    return [m.user for m in organisations.memberships(organisation=organisation)
            if m.role == OrganisationMembership.Role.LEAD and m.user.is_active]
