"""Organisations as public pages, and who belongs to them."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.access.visibility import viewable_pages
from portal.core.admin_forms import PortalPageForm
from portal.core.selectors import localized_pages, localized_unique
from workflows.links import editor_url


class OrganisationIndexPage(Page):
    """Lists every organisation taking part in the portal."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["organisations.OrganisationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("organisation index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        organisations = list(
            viewable_pages(request.user, OrganisationPage.objects.child_of(self))
            .select_related("umbrella")
            .order_by("title")
        )
        # Umbrellas in the reader's language for the whole list at once (no query per organisation).
        umbrellas = localized_pages(org.umbrella for org in organisations if org.umbrella)
        by_key = {umbrella.translation_key: umbrella for umbrella in umbrellas}
        for organisation in organisations:
            umbrella = organisation.umbrella
            organisation.localized_umbrella = by_key.get(umbrella.translation_key) if umbrella else None
        context["organisations"] = organisations
        return context


class OrganisationPage(RoutablePageMixin, Page):
    """An organisation's public profile. Its one child is the organisation's private space; the
    member list lives at ``medlemmer/`` below the profile."""

    # Refuses links to documents the editor may not see (#17).
    base_form_class = PortalPageForm

    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    description = RichTextField(_("description"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("logo"),
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    umbrella = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="member_organisations",
        verbose_name=_("umbrella organisation"),
        help_text=_("The umbrella organisation this organisation is a member of, if any."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("short_name"),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact"),
        ),
        FieldPanel("umbrella"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("description"),
        index.AutocompleteField("short_name"),
    ]
    parent_page_types = ["organisations.OrganisationIndexPage"]
    subpage_types = ["organisations.OrganisationSpacePage"]

    class Meta:
        verbose_name = _("organisation")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        umbrella = self.umbrella
        context["umbrella"] = umbrella.localized if umbrella else None
        # Each member organisation once (not once per language version), in the reader's language.
        context["member_organisations"] = sorted(
            localized_unique(
                OrganisationPage.objects.live().filter(umbrella__translation_key=self.translation_key)
            ),
            key=lambda page: page.title,
        )
        context["published_items"] = selectors.published_by(organisation=self, user=request.user)
        context["viewer_membership"] = selectors.membership_of(user=request.user, organisation=self)
        context["space"] = selectors.space_for(organisation=self) if context["viewer_membership"] else None
        return context

    @property
    def members_url(self) -> str | None:
        """Public-site URL of the member list (members only), in this page's language."""
        url = self.url
        return f"{url.rstrip('/')}/{self.reverse_subpage('members')}" if url else None



class OrganisationSpacePage(Page):
    """An organisation's private space, where its drafts live. Always carries a view restriction to
    the organisation's members group (kept by signals, also on translations and copies), and that
    group has add/change permission on this subtree, but not publish."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["organisations.OrganisationPage"]
    # Everything an organisation drafts lives here, private to its members until published.
    subpage_types = [
        "organisations.OrganisationDraftPage",
        "hearings.HearingResponsePage",
        "positions.PositionPaperPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("organisation space")
        verbose_name_plural = _("organisation spaces")

    @property
    def organisation(self) -> "OrganisationPage":
        return OrganisationPage.objects.parent_of(self).get()

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["organisation"] = self.organisation
        context["drafts"] = selectors.drafts_in_space(space=self, user=request.user)
        context["can_add_draft"] = self.permissions_for_user(request.user).can_add_subpage()
        return context


class OrganisationDraftPage(Page):
    """A working document inside an organisation's space (private to its members)."""

    # Refuses links to documents the editor may not see (#17).
    base_form_class = PortalPageForm

    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["organisations.OrganisationSpacePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("organisation draft")
        verbose_name_plural = _("organisation drafts")

    def get_workflow_url(self) -> str:
        """Where members write it and reviewers decide: the portal editor, never the admin."""
        return editor_url(self) or ""


class OrganisationMembership(models.Model):
    """A person's membership of an organisation. Stored against the organisation's page in its
    original language; look it up by the page's translation key so every translation sees it."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        LEAD = "lead", _("lead")

    organisation = models.ForeignKey(
        OrganisationPage, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_organisation_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class OrganisationGroups(models.Model):
    """The Django groups that carry an organisation's rights: every member is in ``members`` (view
    restriction and page permissions on the space, admin access), leads also in ``leads``. Keyed by
    the organisation's translation key, so every language version shares one pair of groups."""

    organisation_key = models.UUIDField(_("organisation translation key"), unique=True, editable=False)
    members = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="organisation_as_members", verbose_name=_("members group")
    )
    leads = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="organisation_as_leads", verbose_name=_("leads group")
    )

    class Meta:
        verbose_name = _("organisation groups")
        verbose_name_plural = _("organisation groups")

    def __str__(self) -> str:
        return f"{self.members} / {self.leads}"
