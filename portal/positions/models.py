"""Position papers: drafted in an organisation's private space, published through the
organisation's approval and moderation, and listed publicly (through a public copy) with topics."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.core.admin_forms import PortalPageForm
from workflows.links import editor_url

BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]


class PositionPaperIndexPage(RoutablePageMixin, Page):
    """Lists published position papers from every organisation; ``<id>/`` shows one of them."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("position paper index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing(user=request.user, topic=request.GET.get("tema", "")))
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @path("<int:paper_id>/")
    def paper_view(self, request, paper_id: int):
        from .selectors import published_paper

        paper = published_paper(user=request.user, pk=paper_id)
        if paper is None:
            raise Http404
        return render(request, "positions/published_position_paper.html",
                      {"page": self, "paper": paper, "self": self})


class PositionPaperTag(TaggedItemBase):
    content_object = ParentalKey("positions.PositionPaperPage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class PositionPaperPage(Page):
    """The draft, in the organisation's private space (its view restriction keeps it to members).
    When the workflow approves it, :func:`portal.positions.actions.publish_copy` makes the public
    copy; the page itself never leaves the space."""

    # Refuses links to documents the editor may not see (#17).
    base_form_class = PortalPageForm

    summary = models.TextField(_("summary"), help_text=_("Two or three sentences shown in the list."))
    body = RichTextField(_("text"), features=BODY_FEATURES)
    topics = ClusterTaggableManager(_("topics"), through=PositionPaperTag, blank=True,
                                    help_text=_("For example: universal design, user councils."))

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body"), FieldPanel("topics")]
    parent_page_types = ["organisations.OrganisationSpacePage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("position paper")
        verbose_name_plural = _("position papers")

    def get_workflow_url(self) -> str:
        """Where members write it and reviewers decide: the portal editor, never the admin."""
        return editor_url(self) or ""


class PublishedPositionPaper(models.Model):
    """The public copy of an approved position paper, refreshed each time a new version is approved
    and withdrawn (hidden) when the draft is unpublished."""

    organisation = models.ForeignKey("organisations.OrganisationPage", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("organisation"))
    source = models.OneToOneField(PositionPaperPage, null=True, on_delete=models.SET_NULL,
                                  related_name="published_copy", verbose_name=_("draft"))
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    # Sanitised HTML with internal links expanded (see actions.publish_copy).
    body = models.TextField(_("text"), blank=True)
    topics: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "taggit.Tag", blank=True, related_name="+", verbose_name=_("topics")
    )
    language = models.CharField(_("language"), max_length=10, default="nb")
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("published position paper")
        verbose_name_plural = _("published position papers")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from .selectors import index_url

        base = index_url(self.language)
        if not base:
            return ""
        return base + PositionPaperIndexPage.get_resolver().reverse("paper_view", self.pk)

    def topic_list(self) -> list[Any]:
        return sorted(self.topics.all(), key=lambda tag: tag.name.lower())


# Selectors (and forms) read the models above, so they are imported once the models exist; page
# contexts above call them at request time.
from .selectors import listing  # noqa: E402
