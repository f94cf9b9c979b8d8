"""Councils as public pages, and their composition over time."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class CouncilIndexPage(Page):
    """Lists every council, grouped by level."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["councils.CouncilPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("council index")

    def get_context(self, request, *args, **kwargs):
        from portal.access.visibility import viewable_pages

        context = super().get_context(request, *args, **kwargs)
        councils = list(
            viewable_pages(request.user, CouncilPage.objects.child_of(self)).order_by("level", "region", "title")
        )
        context["councils_by_level"] = [
            (label, [council for council in councils if council.level == value])
            for value, label in CouncilPage.Level.choices
        ]
        return context


class CouncilPage(Page):
    """A council's public profile: level, region, mandate and members."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        COUNTY = "county", _("county")
        LOCAL = "local", _("local")

    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    parent_council = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="child_councils",
        verbose_name=_("parent council"),
        help_text=_("A local council belongs to a county council, a county council to the national council."),
    )
    mandate = RichTextField(_("mandate"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("level"),
        FieldPanel("region"),
        FieldPanel("parent_council"),
        FieldPanel("mandate"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("region"),
        index.SearchField("mandate"),
        index.FilterField("level"),
    ]
    parent_page_types = ["councils.CouncilIndexPage"]

    class Meta:
        verbose_name = _("council")

    def clean(self) -> None:
        super().clean()
        parent = self.parent_council
        if parent is not None and parent.translation_key == self.translation_key:
            raise ValidationError({"parent_council": _("A council cannot be its own parent council.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        memberships = CouncilMembership.objects.for_council(self).select_related("user", "organisation")
        today = timezone.localdate()
        context["current_members"] = [m for m in memberships if m.is_current(today)]
        context["past_members"] = [m for m in memberships if m.has_ended(today)]
        context["parent"] = self.parent_council.localized if self.parent_council else None
        context["children"] = [
            page.localized
            for page in CouncilPage.objects.live().filter(parent_council__translation_key=self.translation_key)
        ]
        return context


class CouncilMembershipQuerySet(models.QuerySet):
    def for_council(self, council: Page) -> CouncilMembershipQuerySet:
        return self.filter(council__translation_key=council.translation_key).order_by("start", "pk")

    def current(self, on: datetime.date | None = None) -> CouncilMembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))


class CouncilMembership(models.Model):
    """A person's seat on a council for a period. Past seats are kept: councils list past members."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("secretary")
        AGENCY = "agency", _("agency representative")

    council = models.ForeignKey(
        CouncilPage, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("council")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "organisations.OrganisationPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("represents"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    objects = CouncilMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="council_membership_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.council} ({self.get_role_display()})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)

    def has_ended(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.end is not None and self.end < on
