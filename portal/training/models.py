"""Training of user representatives.

The two modules are pages (editors write them in nb/nn/en with wagtail-localize, and view
restrictions work as for every other page). Courses, sign-ups, completions and evaluations are rows:
courses are public (a council page lists them, the calendar carries them); who signed up, who
attended, who has completed what and what participants answered are private and decided by the
policies in ``policies.py``. Rows point at the council's and organisations' source pages; lookups go
through translation keys so every language version answers the same.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.access.visibility import viewable_pages


class Module(models.IntegerChoices):
    """The agency's two mandatory modules. Their content lives on the module pages."""

    ONE = 1, _("Module 1: being a user representative")
    TWO = 2, _("Module 2: the agency and the council")


class TrainingIndexPage(Page):
    """The training programme: an introduction and the two modules."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["training.TrainingModulePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("training index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = viewable_pages(request.user, TrainingModulePage.objects.child_of(self)).order_by("number")
        return context


class TrainingModulePage(Page):
    """One module: what it is about and its topics, written by the editors in each language."""

    number = models.PositiveSmallIntegerField(_("module"), choices=Module.choices)
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True)
    topics = RichTextField(_("topics"), blank=True, help_text=_("A list of the topics the module covers."))

    content_panels = Page.content_panels + [
        FieldPanel("number"), FieldPanel("summary"), FieldPanel("description"), FieldPanel("topics"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"), index.SearchField("description"), index.SearchField("topics"),
        index.FilterField("number"),
    ]
    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("training module")


class Course(models.Model):
    """One course of a module for a council's representatives. Public: its dates, place, arranger
    and free places are shown on the council page and in the meeting calendar."""

    class Payer(models.TextChoices):
        ORGANISATION = "organisation", _("the arranging organisation")
        SUPPORTED = "supported", _("the arranging organisation, supported by the county office")
        AGENCY = "agency", _("the agency (including travel and lodging)")

    council = models.ForeignKey(
        "councils.CouncilPage", on_delete=models.CASCADE, related_name="training_courses", verbose_name=_("council")
    )
    module = models.PositiveSmallIntegerField(_("module"), choices=Module.choices)
    title = models.CharField(_("title"), max_length=200)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    county_office = models.BooleanField(
        _("arranged by the agency's county office"), default=False,
        help_text=_("Module 2 is arranged by the county office; module 1 by one or more organisations."),
    )
    arrangers = models.ManyToManyField(
        "organisations.OrganisationPage", blank=True, related_name="+", verbose_name=_("arranging organisations")
    )
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    payer = models.CharField(_("paid by"), max_length=20, choices=Payer.choices)
    travel_covered = models.BooleanField(_("travel and lodging covered"), default=False)
    cost = models.DecimalField(_("cost (NOK)"), max_digits=10, decimal_places=2, null=True, blank=True)
    cost_note = models.TextField(_("note on costs"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Not fields: set by selectors.describe for lists, in the reader's language.
    arranger_names: list[str]
    places_left: int
    localized_council: Any

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="training_course_period"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_course_capacity"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts and self.ends and self.ends < self.starts:
            errors["ends"] = _("The course cannot end before it starts.")
        if self.starts and self.signup_deadline and self.signup_deadline > self.starts:
            errors["signup_deadline"] = _("The sign-up deadline must be before the course starts.")
        if not self.online and not self.place:
            errors["place"] = _("Give a place, or mark the course as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def signup_open(self) -> bool:
        return timezone.now() <= self.signup_deadline

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends


class Enrolment(models.Model):
    """A representative's sign-up for a course, and whether they attended (recorded by the arranger).
    Private: the participant, the course's arrangers and the council's secretary and chair."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_enrolments",
        verbose_name=_("participant"),
    )
    organisation = models.ForeignKey(
        "organisations.OrganisationPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("represents"),
    )
    needs = models.TextField(_("needs (accessibility, interpreter, diet)"), blank=True)
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("attendance recorded by"),
    )

    class Meta:
        verbose_name = _("course participant")
        verbose_name_plural = _("course participants")
        ordering = ["signed_up_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="training_one_enrolment_per_course")]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"


class Completion(models.Model):
    """A representative completed a module on a date: recorded from a course's attendance (or by the
    secretary for training taken before the portal). The latest completion per module counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions",
        verbose_name=_("representative"),
    )
    module = models.PositiveSmallIntegerField(_("module"), choices=Module.choices)
    completed_on = models.DateField(_("completed on"))
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="completions", verbose_name=_("course")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("completed module")
        verbose_name_plural = _("completed modules")
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], condition=Q(course__isnull=False),
                                    name="training_one_completion_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_module_display()} ({self.completed_on})"


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    """A participant's evaluation of a course. The arranger sees the answers in aggregate only; the
    row keeps who answered so nobody answers twice."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("course"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    overall = models.PositiveSmallIntegerField(_("overall"), validators=RATING)
    role_clarity = models.PositiveSmallIntegerField(_("knows what is expected on the council"), validators=RATING)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="training_one_evaluation_each")]

    def __str__(self) -> str:
        return f"{self.course} #{self.pk}"


class CouncilTrainingSettings(models.Model):
    """A council's choice of how long a completed module stays valid (none: for ever)."""

    council_key = models.UUIDField(_("council translation key"), unique=True, editable=False)
    renewal_months = models.PositiveSmallIntegerField(
        _("renew after (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    class Meta:
        verbose_name = _("council training settings")
        verbose_name_plural = _("council training settings")

    def __str__(self) -> str:
        return str(self.council_key)


class Reminder(models.Model):
    """A reminder that was sent, so the daily run sends each one once. ``reason`` is "missing", or
    "expired:<date of the completion that expired>" (a later completion can expire again)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    council_key = models.UUIDField()
    module = models.PositiveSmallIntegerField(choices=Module.choices)
    reason = models.CharField(max_length=40)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("training reminder")
        verbose_name_plural = _("training reminders")
        constraints = [models.UniqueConstraint(fields=["user", "council_key", "module", "reason"],
                                               name="training_reminder_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.module} ({self.reason}, {self.sent_on})"
