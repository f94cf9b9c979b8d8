"""Site-wide page types and settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.core.admin_forms import PortalPageForm
from portal.core.selectors import home_blocks, home_sections


class HomePage(Page):
    """The portal's front page: the editors' introduction, then what is happening now (open
    hearings, upcoming meetings, new minutes and responses, all live), a search box and the way
    into each section."""

    # Refuses links to documents the editor may not see (#17).
    base_form_class = PortalPageForm

    intro = models.TextField(
        _("introduction"), blank=True,
        help_text=_("Shown at the top of the home page. The lists of hearings, meetings, minutes and responses "
                    "below it are kept up to date by the portal."),
    )
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(home=self)
        context["blocks"] = home_blocks(home=self)
        return context


class StandardPage(Page):
    """A plain text page: accessibility statement, privacy, about, contact."""

    # Refuses links to documents the editor may not see (#17).
    base_form_class = PortalPageForm

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["core.HomePage", "core.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="list-ul")
class FooterSettings(BaseSiteSetting):
    """Contact details and links shown in every page's footer."""

    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.CharField(_("postal address"), max_length=255, blank=True)
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("accessibility statement"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("privacy page"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")],
            heading=_("Contact"),
        ),
        FieldPanel("accessibility_page"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("footer")


class TaskWorker(models.Model):
    """A running task worker (``manage.py task_worker``) and when it was last seen alive.

    A worker beats while it waits and while a long task reports progress; a task left running by a
    worker that stopped beating (killed, machine lost) is handed to another (portal/core/background.py)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return self.worker_id


class OnceKey(models.Model):
    """Something that must happen once whatever runs it twice: an e-mail sent ("mail:<uuid>"), a
    period's periodic work enqueued ("every:<name>:<minute or date>"). The unique key is the lock."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("done at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("done once")
        verbose_name_plural = _("done once")

    def __str__(self) -> str:
        return self.key
