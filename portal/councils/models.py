"""Councils as public pages, and their composition over time."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page
from wagtail.search import index

from portal.access.visibility import viewable_pages
from portal.core.admin_forms import PortalPageForm
from portal.security.text import html_to_text


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
        context = super().get_context(request, *args, **kwargs)
        councils = list(
            viewable_pages(request.user, CouncilPage.objects.child_of(self)).order_by("level", "region", "title")
        )
        context["councils_by_level"] = [
            (label, [council for council in councils if council.level == value])
            for value, label in CouncilPage.Level.choices
        ]
        return context


class CouncilPage(RoutablePageMixin, Page):
    """A council's public profile: level, region, mandate and members. The council's private space
    (threads, internal documents, member list with contact details) lives below it at ``rom/``,
    served by views that ask the visibility service: the profile itself stays public."""

    # Refuses links to documents the editor may not see (#17).
    base_form_class = PortalPageForm

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
        context.update(selectors.public_profile(council=self))
        context["viewer_is_member"] = selectors.is_member(user=request.user, council=self)
        return context

    def space_url(self, name: str = "space", *args: Any) -> str:
        """Public-site URL of a route of the private space, in this page's language."""
        return f"{(self.url or '').rstrip('/')}/{self.reverse_subpage(name, args=args)}"





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
    # Not a field: the represented organisation in the reader's language (selectors sets it per list).
    localized_organisation: Any

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


class CouncilSpace(models.Model):
    """What carries a council's private space: the group of its current members (kept in step with
    the memberships) and the private document collection restricted to that group. Keyed by the
    council's translation key, so every language version shares them."""

    council_key = models.UUIDField(_("council translation key"), unique=True, editable=False)
    members = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="council_space", verbose_name=_("members group")
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="council_space", verbose_name=_("document collection")
    )

    class Meta:
        verbose_name = _("council space")
        verbose_name_plural = _("council spaces")

    def __str__(self) -> str:
        return str(self.members)


class Thread(models.Model):
    """A discussion in a council's private space. Stored against the council's page in its
    original language; every language version of the council shows it."""

    council = models.ForeignKey(
        CouncilPage, on_delete=models.CASCADE, related_name="threads", verbose_name=_("council")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    # Who is told about replies: the author and everyone who replied (added automatically).
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="followed_council_threads", verbose_name=_("followers")
    )

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def url_in(self, council: CouncilPage | None = None) -> str:
        """The thread's URL below ``council`` (a language version of its council), else the original."""
        return (council or self.council).space_url("thread", self.pk)


class Post(models.Model):
    """A message in a thread: the opening post or a reply. ``body`` is sanitised HTML. A hidden post
    keeps its text (moderators still read it); everyone else sees a notice with the reason."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    # Not fields: what the reader may do with the post, set by the thread view for its template.
    may_read: bool
    may_hide: bool
    visible_attachments: list[Any]

    class Meta:
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def plain_text(self) -> str:

        return html_to_text(self.body)


class PostAttachment(models.Model):
    """A file attached to a post. The file is a Wagtail document in the council's private
    collection, so its download URL refuses everyone outside the council."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("post"))
    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="council_attachment",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.document.title


# Selectors (and forms) read the models above, so they are imported once the models exist; page
# contexts above call them at request time.
from . import selectors  # noqa: E402
