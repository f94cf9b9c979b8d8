"""Organisations as public pages, and who belongs to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


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
        from portal.access.visibility import viewable_pages

        context = super().get_context(request, *args, **kwargs)
        context["organisations"] = (
            viewable_pages(request.user, OrganisationPage.objects.child_of(self))
            .select_related("umbrella")
            .order_by("title")
        )
        return context


class OrganisationPage(Page):
    """An organisation's public profile."""

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

    class Meta:
        verbose_name = _("organisation")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        umbrella = self.umbrella
        context["umbrella"] = umbrella.localized if umbrella else None
        context["member_organisations"] = [
            page.localized for page in OrganisationPage.objects.live().filter(
                umbrella__translation_key=self.translation_key
            ).order_by("title")
        ]
        return context


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
