"""Council meetings: the meeting page with its agenda and attendance, the minutes with their own
approval lifecycle, and cases referred between councils.

The agenda and attendance are part of the meeting page (they are revisioned with it and edited in
the page editor). The minutes are NOT page content: they are their own Wagtail object with revisions
and a workflow (draft → circulated → the chair-approval task → published), which must not depend on
when the page is published, and their draft text must never be in a page revision that a page editor
outside the council could see.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin, TaskState, WorkflowMixin
from wagtail.search import index

from portal.access.membership import council_of

from .forms import MeetingPageForm

OSLO = ZoneInfo("Europe/Oslo")


class LegalBasis(models.TextChoices):
    """Grounds in the Freedom of Information Act (offentleglova) for keeping an item out of public view."""

    OFFL_13 = "offl. § 13", _("offl. § 13 – duty of confidentiality")
    OFFL_14 = "offl. § 14", _("offl. § 14 – internal document")
    OFFL_15 = "offl. § 15", _("offl. § 15 – obtained for internal preparation")
    OFFL_23 = "offl. § 23", _("offl. § 23 – negotiating position")
    OFFL_25 = "offl. § 25", _("offl. § 25 – personnel matter")


class MeetingPage(Page):
    """One meeting of a council: when and where, who came, and the agenda."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    start = models.DateTimeField(_("starts at"), help_text=_("Norwegian time (Europe/Oslo)."))
    end = models.DateTimeField(_("ends at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end"), FieldPanel("status"), FieldPanel("place"),
             FieldPanel("online_link")],
            heading=_("Time and place"),
        ),
        InlinePanel("agenda_items", heading=_("Agenda"), label=_("agenda item")),
        InlinePanel("attendance", heading=_("Attendance"), label=_("attendee")),
    ]
    # Only public text goes into the search fields (and so into every search index and the API
    # search): confidential items are left out here, not filtered later.
    search_fields = Page.search_fields + [
        index.SearchField("public_agenda_text"),
        index.SearchField("public_minutes_text"),
        index.FilterField("status"),
        index.FilterField("start"),
    ]
    parent_page_types = ["councils.CouncilPage"]
    subpage_types: list[str] = []
    base_form_class = MeetingPageForm

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def council(self):
        return council_of(self)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start, OSLO)

    @property
    def local_end(self) -> datetime.datetime | None:
        return timezone.localtime(self.end, OSLO) if self.end else None

    def public_agenda_text(self) -> str:
        return "\n".join(
            f"{item.title}\n{item.description}" for item in self.agenda_items.all() if not item.confidential
        )

    def public_minutes_text(self) -> str:
        from .selectors import published_minutes_for

        minutes = published_minutes_for(meeting=self)
        if minutes is None:
            return ""
        return "\n".join(
            f"{entry.discussion}\n{entry.conclusion}"
            for entry in minutes.entries.select_related("agenda_item")
            if not entry.agenda_item.confidential
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(meeting_context(meeting=self, user=request.user))
        return context


class AgendaItem(Orderable):
    """A case (sak) on a meeting's agenda, numbered per council and year ("12/2026")."""

    class RaisedBy(models.TextChoices):
        ORGANISATION = "organisation", _("an organisation")
        AGENCY = "agency", _("the agency")
        COUNCIL = "council", _("the council")

    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    # Denormalised from the meeting so the case number can be unique per council and year.
    council = models.ForeignKey(
        "councils.CouncilPage", on_delete=models.CASCADE, related_name="+", null=True, editable=False
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, editable=False)
    number = models.PositiveIntegerField(
        _("case number"), null=True, blank=True,
        help_text=_("Leave empty to get the next free number of this council and year."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    raised_by = models.CharField(_("raised by"), max_length=20, choices=RaisedBy.choices, default=RaisedBy.COUNCIL)
    raised_by_organisation = models.ForeignKey(
        "organisations.OrganisationPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("raising organisation"),
    )
    attachment = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("attachment"),
    )
    confidential = models.BooleanField(_("exempt from public disclosure"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True)
    referred_from = models.ForeignKey(
        "meetings.CaseReferral", null=True, blank=True, on_delete=models.SET_NULL, related_name="taken_up_items",
        editable=False,
    )

    panels = [
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("raised_by"),
        FieldPanel("raised_by_organisation"),
        FieldPanel("attachment"),
        FieldPanel("confidential"),
        FieldPanel("legal_basis"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "number"], name="meetings_case_number_per_council_year")
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}" if self.number else self.title

    @property
    def case_number(self) -> str:
        return f"{self.number}/{self.year}" if self.number and self.year else ""

    @property
    def legal_basis_label(self) -> str:
        return self.legal_basis or LegalBasis.OFFL_13.value

    def clean(self) -> None:
        super().clean()
        if self.confidential and not self.legal_basis:
            raise ValidationError({"legal_basis": _("Choose the legal basis for exempting this item.")})
        if self.raised_by == self.RaisedBy.ORGANISATION and not self.raised_by_organisation_id:
            raise ValidationError({"raised_by_organisation": _("Choose the organisation that raised the case.")})

    def save(self, *args, **kwargs):
        meeting = self.page
        council = meeting.council if meeting.pk else None
        self.council = council
        self.year = timezone.localtime(meeting.start, OSLO).year if meeting.start else None
        with transaction.atomic():
            if self.number is None and council is not None:
                # Numbering is serialised per council by locking the council row for the transaction.
                type(council).objects.select_for_update().filter(pk=council.pk).first()
                taken = AgendaItem.objects.filter(council=council, year=self.year).exclude(pk=self.pk)
                self.number = (taken.aggregate(top=Max("number"))["top"] or 0) + 1
            super().save(*args, **kwargs)


class Attendance(Orderable):
    """Who was present at a meeting, who came as a substitute, and who sent apologies."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        SUBSTITUTE = "substitute", _("substitute attended")
        APOLOGIES = "apologies", _("absent with apologies")

    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("person"))
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices, default=Status.PRESENT)

    panels = [FieldPanel("user"), FieldPanel("status")]

    class Meta(Orderable.Meta):
        verbose_name = _("attendee")
        verbose_name_plural = _("attendance")


class Minutes(WorkflowMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """The minutes of one meeting. Every save is a Wagtail revision (the entries are a child relation,
    so a revision holds the whole text); approval is Wagtail's workflow with the council chair's task;
    the row holds what is live once the chair has approved, drafts (a correction) live in revisions.

    Circulation for comments is a step before the workflow, not an approval: ``circulated`` and the
    comment deadline say whether the attendees are commenting now."""

    class Status(models.TextChoices):
        """Where the minutes are, derived from the draft state and the workflow (never stored)."""

        DRAFT = "draft", _("draft")
        CIRCULATED = "circulated", _("circulated for comments")
        AWAITING_APPROVAL = "awaiting_approval", _("awaiting the chair's approval")
        PUBLISHED = "published", _("published")

    meeting = models.OneToOneField(MeetingPage, on_delete=models.CASCADE, related_name="minutes",
                                   verbose_name=_("meeting"))
    circulated = models.BooleanField(_("circulated for comments"), default=False)
    comment_deadline = models.DateField(_("comments by"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    # Part of the text: a correction's note goes live with the correction when the chair approves it.
    correction_note = models.CharField(_("correction note"), max_length=500, blank=True)

    # Facts about the object, not about one version of its text: a revision never overwrites them.
    ROW_FIELDS = ("meeting_id", "circulated", "comment_deadline", "corrected_at")

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes: %(meeting)s") % {"meeting": self.meeting.title})

    def with_content_json(self, content: dict) -> Minutes:
        obj = super().with_content_json(content)
        for name in self.ROW_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def publish(self, revision, user=None, **kwargs):
        """Publishing (the chair's approval finishing the workflow) makes the revision live; a
        publication after the first is a correction and is dated as such."""
        correction = self.first_published_at is not None
        result = super().publish(revision, user=user, **kwargs)
        from .actions import after_publish

        after_publish(minutes_id=self.pk, correction=correction)
        return result

    @property
    def status(self) -> Minutes.Status:
        if self.workflow_in_progress:
            return self.Status.AWAITING_APPROVAL
        if self.live:
            return self.Status.PUBLISHED
        if self.circulated:
            return self.Status.CIRCULATED
        return self.Status.DRAFT

    def get_status_display(self) -> str:
        return str(self.status.label)

    @property
    def is_published(self) -> bool:
        return self.live

    @property
    def has_correction_draft(self) -> bool:
        """Published minutes with changes saved since: a correction not yet approved (never public)."""
        return self.live and self.has_unpublished_changes

    @property
    def published_at(self):
        return self.first_published_at

    @property
    def version(self) -> int:
        """The revision a form was loaded at: saving from an older one is refused."""
        return self.latest_revision_id or 0

    @property
    def approved_by(self) -> Any:
        """Who approved the live version (the chair who decided the last approved task)."""
        state = (
            TaskState.objects.filter(
                workflow_state__base_content_type=self.get_base_content_type(),
                workflow_state__object_id=str(self.pk), status=TaskState.STATUS_APPROVED,
            ).select_related("finished_by").order_by("-finished_at", "-pk").first()
        )
        return state.finished_by if state is not None else None

    def get_workflow_url(self) -> str:
        """Where the chair approves and the secretary works on the minutes (used by the workflow's
        notifications and queue)."""
        from django.urls import reverse

        return reverse("meetings:minutes", args=[self.meeting_id])

    def sorted_entries(self) -> list[MinutesEntry]:
        """The entries in agenda order (works on a revision's in-memory copy too)."""
        return sorted(self.entries.all(), key=lambda entry: (entry.agenda_item.sort_order or 0, entry.agenda_item_id))


class MinutesEntry(models.Model):
    """What was said and decided about one agenda item."""

    minutes = ParentalKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="minutes_entries")
    discussion = models.TextField(_("discussion"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("minutes entry")
        verbose_name_plural = _("minutes entries")
        constraints = [models.UniqueConstraint(fields=["minutes", "agenda_item"], name="meetings_entry_per_item")]

    def __str__(self) -> str:
        return str(self.agenda_item)


class MinutesComment(models.Model):
    """An attendee's comment on circulated draft minutes (seen by the council only)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} ({self.created_at:%d.%m.%Y})"


# Audit-log actions of the minutes (Wagtail's log), with the label their history shows.
CIRCULATE = "meetings.minutes.circulate"
CORRECT = "meetings.minutes.correct"
MINUTES_ACTIONS = {
    "wagtail.create": _("draft created"),
    "wagtail.edit": _("saved"),
    CIRCULATE: _("circulated for comments"),
    "wagtail.workflow.start": _("sent for approval"),
    "wagtail.workflow.resume": _("sent for approval"),
    "wagtail.workflow.reject": _("returned to draft"),
    "wagtail.workflow.approve": _("approved and published"),
    "wagtail.workflow.cancel": _("returned to draft"),
    CORRECT: _("corrected"),
}


# The reverse side of AgendaItem.referred_from: AgendaItem's manager comes from Wagtail's untyped Orderable.
class CaseReferral(models.Model):  # type: ignore[django-manager-missing]
    """A case sent from one council to another (up or down the hierarchy), with an internal note."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="referrals",
                             verbose_name=_("case"))
    from_council = models.ForeignKey("councils.CouncilPage", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("from council"))
    to_council = models.ForeignKey("councils.CouncilPage", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("to council"))
    # Seen by the members of both councils only; the public trail shows that the case was referred.
    note = models.TextField(_("note to the receiving council"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_council=models.F("to_council")),
                                   name="meetings_referral_to_other_council")
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.to_council}"


# Selectors (and forms) read the models above, so they are imported once the models exist; page
# contexts above call them at request time.
from .selectors import meeting_context  # noqa: E402
