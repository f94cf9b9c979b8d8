"""Hearings as public pages with a deadline."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HearingIndexPage(Page):
    """Lists hearings, open ones first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["hearings.HearingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("hearing index")

    def get_context(self, request, *args, **kwargs):
        from portal.access.visibility import viewable_pages

        context = super().get_context(request, *args, **kwargs)
        context["hearings"] = viewable_pages(request.user, HearingPage.objects.child_of(self)).order_by("-deadline")
        return context


class HearingPage(Page):
    """A hearing: a draft from the agency, open for responses until its deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    summary = models.TextField(_("summary"))
    owner_unit = models.CharField(_("responsible unit"), max_length=200)
    deadline = models.DateTimeField(_("deadline"))
    body = RichTextField(_("hearing text"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("owner_unit"),
        FieldPanel("deadline"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("owner_unit"),
        index.FilterField("deadline"),
    ]
    parent_page_types = ["hearings.HearingIndexPage"]

    class Meta:
        verbose_name = _("hearing")

    @property
    def status(self) -> str:
        """Derived from publication and the clock, so closing at the deadline needs no job."""
        if not self.live:
            return self.Status.DRAFT
        if timezone.now() >= self.deadline:
            return self.Status.CLOSED
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)
