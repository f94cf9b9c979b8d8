"""Hearings (public pages with a deadline and numbered sections) and hearing responses (pages
drafted in an organisation's private space, published as a public copy once accepted)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.core.private_storage import export_upload_to, original_upload_to, private_storage
from portal.security.uploads import UploadValidator
from workflows import status as workflow_status
from workflows.links import editor_url

from .admin_forms import HearingPageForm, HearingResponseForm

# An original is the response as the organisation signed it: a document, not an image.
ORIGINAL_KINDS = ("pdf", "docx", "odt")


class HearingIndexPage(Page):
    """Lists hearings with filters (status, year, owner) and a countdown to each deadline."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["hearings.HearingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("hearing index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = HearingFilterForm(request.GET or None, index=self, user=request.user)
        filters = form.cleaned_filters() if form.is_bound else {}
        context["filter_form"] = form
        context["hearings"] = selectors.hearing_list(index=self, user=request.user, **filters)
        context["now"] = timezone.now()
        return context


class PublicationPolicy(models.TextChoices):
    ON_ACCEPTANCE = "on_acceptance", _("each response as soon as it is accepted")
    AT_DEADLINE = "at_deadline", _("all responses together when the deadline passes")


def released_q(now: datetime.datetime | None = None, *, hearing: str = "hearing__") -> Q:
    """HearingPage.responses_released as a filter, for rows reached through ``hearing`` (the
    lookup prefix to the hearing: ``"hearing__"`` from a response, ``""`` on hearings)."""
    return Q(**{f"{hearing}publication_policy": PublicationPolicy.ON_ACCEPTANCE}) | Q(
        **{f"{hearing}deadline__lte": now or timezone.now()}
    )


class HearingPage(RoutablePageMixin, Page):
    """A hearing: a draft from the agency, open for responses until its deadline. Its status is
    derived from publication, the clock and the outcome, so closing at the deadline needs no job."""

    class Status(models.TextChoices):
        # The words come from the one vocabulary (workflows.status) that filters and facets use too.
        DRAFT = workflow_status.HEARING_DRAFT, workflow_status.HEARING_LABELS[workflow_status.HEARING_DRAFT]
        OPEN = workflow_status.HEARING_OPEN, workflow_status.HEARING_LABELS[workflow_status.HEARING_OPEN]
        CLOSED = workflow_status.HEARING_CLOSED, workflow_status.HEARING_LABELS[workflow_status.HEARING_CLOSED]
        CONCLUDED = (workflow_status.HEARING_CONCLUDED,
                     workflow_status.HEARING_LABELS[workflow_status.HEARING_CONCLUDED])
        WITHDRAWN = (workflow_status.HEARING_WITHDRAWN,
                     workflow_status.HEARING_LABELS[workflow_status.HEARING_WITHDRAWN])

    summary = models.TextField(_("summary"))
    owner_unit = models.CharField(_("responsible unit"), max_length=200)
    deadline = models.DateTimeField(_("deadline"), help_text=_("Date and time, Norwegian time (Europe/Oslo)."))
    body = RichTextField(_("introduction to the hearing text"), blank=True)
    consulted_organisations = ParentalManyToManyField(
        "organisations.OrganisationPage", blank=True, related_name="consulted_in_hearings",
        verbose_name=_("consulted organisations on the portal"),
    )
    consulted_other = models.TextField(
        _("other consulted bodies"), blank=True, help_text=_("One body per line."),
    )
    publication_policy = models.CharField(
        _("publication of responses"), max_length=20, choices=PublicationPolicy.choices,
        default=PublicationPolicy.ON_ACCEPTANCE,
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"), null=True, blank=True,
        help_text=_("Set when the agency withdraws the hearing; no responses are accepted after it."),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # What regjeringen.no's hearing pages tell a reader besides the text: when the hearing was sent
    # out and whom to ask about it.
    sent_out = models.DateField(
        _("sent out"), null=True, blank=True,
        help_text=_("The date the hearing was sent to the consulted bodies (defaults to its first publication)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    # The consulted organisations are the same in every language. wagtail-localize leaves
    # many-to-many fields out of a sync unless told, so a translation kept the list it was created with.
    override_translatable_fields = [SynchronizedField("consulted_organisations", overridable=False)]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("owner_unit"),
        FieldPanel("sent_out"),
        FieldPanel("deadline"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact person"),
        ),
        FieldPanel("publication_policy"),
        MultiFieldPanel(
            [FieldPanel("consulted_organisations"), FieldPanel("consulted_other")], heading=_("Consulted bodies")
        ),
        FieldPanel("body"),
        InlinePanel(
            "sections", heading=_("Sections of the hearing text"), label=pgettext_lazy("hearing text", "section")
        ),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
        MultiFieldPanel([FieldPanel("withdrawn_at"), FieldPanel("withdrawal_reason")], heading=_("Withdrawal")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("owner_unit"),
        index.SearchField("sections_text"),
        index.FilterField("deadline"),
    ]
    parent_page_types = ["hearings.HearingIndexPage"]
    subpage_types: list[str] = []
    base_form_class = HearingPageForm

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def child_workflow_deadline(self) -> datetime.datetime | None:
        """The deadline guard protocol (workflows.deadlines): pages written under a hearing answer to
        its deadline; the hearing itself does not (its own moderation is not bound by it)."""
        return self.deadline

    def clean(self) -> None:
        super().clean()
        numbers = [section.number.strip() for section in self.sections.all()]
        duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
        if duplicates:
            raise ValidationError(
                _("Section numbers must be unique; used more than once: %(numbers)s")
                % {"numbers": ", ".join(duplicates)}
            )

    # --- derived state ------------------------------------------------------------------------

    def is_concluded(self) -> bool:
        annotated = getattr(self, "has_outcome", None)
        if annotated is not None:
            return bool(annotated)
        return HearingOutcome.objects.filter(hearing_key=self.translation_key, published_at__isnull=False).exists()

    def status_at(self, now: datetime.datetime | None = None) -> str:
        """The status at ``now`` (default: the current time)."""
        now = now or timezone.now()
        if not self.live:
            return self.Status.DRAFT
        if self.withdrawn_at is not None and self.withdrawn_at <= now:
            return self.Status.WITHDRAWN
        if self.is_concluded():
            return self.Status.CONCLUDED
        if now >= self.deadline:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at()

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def accepts_responses(self, now: datetime.datetime | None = None) -> bool:
        return self.status_at(now) == self.Status.OPEN

    def responses_released(self, now: datetime.datetime | None = None) -> bool:
        """Whether accepted responses are public yet, under the hearing's publication policy (the
        same rule as :func:`released_q`)."""
        if self.publication_policy == PublicationPolicy.ON_ACCEPTANCE:
            return True
        return (now or timezone.now()) >= self.deadline

    def sections_text(self) -> str:
        return "\n".join(f"{s.number} {s.heading}\n{s.text}" for s in self.sections.all())

    def consulted_other_list(self) -> list[str]:
        return [line.strip() for line in self.consulted_other.splitlines() if line.strip()]

    def section_by_number(self, number: str) -> HearingSection | None:
        number = (number or "").strip()
        for section in self.sections.all():
            if section.number.strip() == number:
                return section
        return None

    # --- views --------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.hearing_page_context(hearing=self, user=request.user))
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return super().index_route(request, *args, **kwargs)














class HearingSection(Orderable):
    """One numbered section of the hearing text. The number is what responses point at; it is kept
    as written (not recomputed from the order), so its anchor stays stable when sections move."""

    page = ParentalKey(HearingPage, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(
        _("number"), max_length=20, help_text=_("For example 4 or 4.1. Must stay the same once published.")
    )
    heading = models.CharField(_("heading"), max_length=255)
    text = models.TextField(_("text"), help_text=_("Plain text; separate paragraphs with a blank line."))

    panels = [FieldPanel("number"), FieldPanel("heading"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = pgettext_lazy("hearing text", "section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"

    @property
    def anchor(self) -> str:
        return section_anchor(self.number)


def section_anchor(number: str) -> str:
    return "punkt-" + (slugify(str(number).replace(".", "-")) or "x")


class HearingAttachment(Orderable):
    page = ParentalKey(HearingPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    title = models.CharField(_("title"), max_length=255, blank=True, help_text=_("Defaults to the document's title."))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class HearingOutcome(models.Model):
    """The owner's conclusion of a hearing. Kept outside the page's revisions (keyed by the
    hearing's translation key, so every language version is concluded at once): a later edit of the
    hearing text must not undo the conclusion."""

    hearing_key = models.UUIDField(_("hearing translation key"), unique=True)
    summary = models.TextField(_("what the agency decided"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("hearing outcome")
        verbose_name_plural = _("hearing outcomes")

    def __str__(self) -> str:
        return str(self.hearing_key)


def concluded_q(key: str = "translation_key"):
    """Annotation for querysets of hearings: whether an outcome has been published (``key``: the
    hearing's translation key from another model, e.g. ``hearing__translation_key``)."""
    return Exists(HearingOutcome.objects.filter(hearing_key=OuterRef(key), published_at__isnull=False))


# --- responses ------------------------------------------------------------------------------------


class HearingResponsePage(RoutablePageMixin, Page):
    """An organisation's response to a hearing, drafted by its members in the organisation's private
    space (every save a revision; editor comments and revision comparison from Wagtail). When the
    workflow publishes it, a public copy (:class:`PublishedResponse`) is made."""

    hearing = models.ForeignKey(
        HearingPage, on_delete=models.PROTECT, related_name="response_pages", verbose_name=_("hearing")
    )
    general_remarks = RichTextField(_("general remarks"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    # On the page, so an uploaded original is part of every revision like the text it belongs to.
    original = models.FileField(
        _("original document"), storage=private_storage, upload_to=original_upload_to, blank=True, max_length=255,
        validators=[UploadValidator(allowed=ORIGINAL_KINDS)],
        help_text=_("Optional: the response as your organisation signed it (PDF, DOCX or ODT). It is published "
                    "with the response."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("hearing"),
        FieldPanel("general_remarks"),
        InlinePanel("parts", heading=_("Comments and amendments per section"), label=_("part")),
        FieldPanel("original"),
    ]
    search_fields = Page.search_fields + [index.SearchField("general_remarks")]
    parent_page_types = ["organisations.OrganisationSpacePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("hearing response")
        verbose_name_plural = _("hearing responses")

    # Parts are checked against the hearing in the editor form and again on submission, not on
    # every save: a draft whose section was removed from the hearing later must still be saved.
    base_form_class = HearingResponseForm

    def part_errors(self) -> list[str]:
        """Why the parts do not fit the hearing as it is now (empty when they do)."""
        from .validation import check_parts

        try:
            check_parts(self.hearing if self.hearing_id else None, list(self.parts.all()))
        except ValidationError as error:
            return list(error.messages)
        return []

    def workflow_deadline(self) -> datetime.datetime | None:
        """The deadline guard protocol (workflows.deadlines): the hearing's deadline, or the moment
        the hearing was withdrawn if that came first."""
        if not self.hearing_id:
            return None
        hearing = HearingPage.objects.get(pk=self.hearing_id)
        if hearing.withdrawn_at is not None:
            return min(hearing.deadline, hearing.withdrawn_at)
        return hearing.deadline

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.response_page_context(response=self, user=request.user, request=request))
        return context

    def get_workflow_url(self) -> str:
        """Where members write it and reviewers decide: the portal editor, never the admin."""
        return editor_url(self) or ""

    @path("")
    def index_route(self, request, *args, **kwargs):
        return super().index_route(request, *args, **kwargs)







class ResponsePart(Orderable):
    """A comment on, or an amendment to, one numbered section of the hearing."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        AMENDMENT = "amendment", _("amendment (replacement text)")

    page = ParentalKey(HearingResponsePage, on_delete=models.CASCADE, related_name="parts")
    section_number = models.CharField(
        _("section number"), max_length=20, help_text=_("The number of the hearing's section, e.g. 4.1.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    comment = models.TextField(_("comment or justification"), blank=True)
    replacement = models.TextField(
        _("proposed replacement text"), blank=True, help_text=_("For an amendment: the whole new text of the section."),
    )

    panels = [FieldPanel("section_number"), FieldPanel("kind"), FieldPanel("comment"), FieldPanel("replacement")]

    class Meta(Orderable.Meta):
        verbose_name = _("response part")
        verbose_name_plural = _("response parts")

    @property
    def anchor(self) -> str:
        return section_anchor(self.section_number)


class ResponseInput(models.Model):
    """Input (innspill) from a member organisation to its umbrella's draft response. Seen by the
    umbrella's members (beside the draft) and by the sending organisation's members."""

    class Use(models.TextChoices):
        NEW = "new", _("not yet considered")
        USED = "used", _("used")
        NOT_USED = "not_used", _("not used")

    response = models.ForeignKey(
        HearingResponsePage, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("response")
    )
    organisation = models.ForeignKey(
        "organisations.OrganisationPage", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("from organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    section_number = models.CharField(_("section number"), max_length=20, blank=True)
    text = models.TextField(_("input"))
    use = models.CharField(_("use"), max_length=20, choices=Use.choices, default=Use.NEW)
    use_note = models.TextField(_("note on the use"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("marked by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("input from a member organisation")
        verbose_name_plural = _("inputs from member organisations")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.response_id}"


class CoSignature(models.Model):
    """Another organisation co-signing a response; its lead approves or declines."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    response = models.ForeignKey(
        HearingResponsePage, on_delete=models.CASCADE, related_name="cosignatures", verbose_name=_("response")
    )
    organisation = models.ForeignKey(
        "organisations.OrganisationPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # The draft as it was when the organisation was asked: what its leads read while they decide
    # (later edits are not theirs to follow; after approving they see accepted versions too).
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("version shared"),
    )

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["response", "organisation"], name="unique_cosignature")]
        # Granted per object (django-guardian) to the asked organisation's leads while the request is
        # pending or approved; a decline revokes it (portal/hearings/actions.py).
        permissions = [("read_shared_draft", "Can read the draft shared for co-signing")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_state_display()})"


class CoSignatureUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-object grants on co-signatures, with a real foreign key (fast joins)."""

    content_object = models.ForeignKey(CoSignature, on_delete=models.CASCADE)


class CoSignatureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CoSignature, on_delete=models.CASCADE)


class PublishedResponse(models.Model):
    """The public copy of an accepted response, made when the workflow publishes the draft. It is
    public once the hearing's policy releases it; a withdrawal leaves a dated marker."""

    hearing = models.ForeignKey(HearingPage, on_delete=models.CASCADE, related_name="published_responses",
                                verbose_name=_("hearing"))
    response = models.OneToOneField(
        HearingResponsePage, null=True, on_delete=models.SET_NULL, related_name="published_copy",
        verbose_name=_("draft response"),
    )
    organisation = models.ForeignKey(
        "organisations.OrganisationPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=255)
    general_remarks = models.TextField(_("general remarks"), blank=True)
    cosigners = models.TextField(_("co-signed by"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    original = models.FileField(
        _("original document"), storage=private_storage, upload_to=original_upload_to, blank=True, max_length=255,
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    # When the hearing's followers were told of it: at acceptance, or (held until the deadline) by
    # ``manage.py announce_released_responses`` once released. Empty: not announced yet.
    announced_at = models.DateTimeField(_("announced to followers"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("published hearing response")
        verbose_name_plural = _("published hearing responses")
        ordering = ["accepted_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_released(self, now: datetime.datetime | None = None) -> bool:
        return self.hearing.responses_released(now)

    def cosigner_list(self) -> list[str]:
        return [line for line in self.cosigners.splitlines() if line.strip()]

    def get_absolute_url(self) -> str:
        """The response's own page under its hearing: a stable address to cite and link to."""
        if not self.hearing.url:
            return ""
        return self.hearing.url + self.hearing.reverse_subpage("response_detail_view", args=[self.pk])


class HearingFollower(models.Model):
    """A signed-in person following a hearing: e-mailed (in their language) when a response to it is
    published and when its outcome is. Keyed by the hearing's translation key, like the outcome, so
    following one language version follows them all."""

    hearing_key = models.UUIDField(_("hearing translation key"), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("person"))
    created_at = models.DateTimeField(_("following since"), auto_now_add=True)

    class Meta:
        verbose_name = _("hearing follower")
        verbose_name_plural = _("hearing followers")
        constraints = [models.UniqueConstraint(fields=["hearing_key", "user"], name="unique_hearing_follower")]

    def __str__(self) -> str:
        return f"{self.user} → {self.hearing_key}"


class PublishedPart(models.Model):
    """A copied section part of a published response, with the owner's disposition of it."""

    class Disposition(models.TextChoices):
        NONE = "", _("not decided")
        ADOPTED = "adopted", _("adopted")
        PARTLY = "partly", _("partly adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    published = models.ForeignKey(PublishedResponse, on_delete=models.CASCADE, related_name="parts")
    response: PublishedResponse  # not a field: set by selectors.synthesis beside the part it groups
    sort_order = models.PositiveIntegerField(default=0)
    section_number = models.CharField(_("section number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=ResponsePart.Kind.choices)
    comment = models.TextField(_("comment or justification"), blank=True)
    replacement = models.TextField(_("proposed replacement text"), blank=True)
    original = models.TextField(_("section text when the response was accepted"), blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("published response part")
        verbose_name_plural = _("published response parts")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.section_number} ({self.get_kind_display()})"

    @property
    def anchor(self) -> str:
        return section_anchor(self.section_number)


class ExportJob(models.Model):
    """An owner's export of a hearing's accepted responses that takes a while (one PDF of them all,
    a ZIP of the originals): built by a task worker, its progress shown until the file is ready.
    A job whose worker died stays RUNNING until the queue hands its task to another worker."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("all responses as one PDF")
        ZIP = "zip", _("originals as a ZIP file")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Failure(models.TextChoices):
        ERROR = "error", _("the file could not be built because of an error on the server (it has been logged)")
        EMPTY = "empty", _("no accepted responses are left to put in it")
        GONE = "gone", _("the hearing no longer exists")

    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    hearing = models.ForeignKey(HearingPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("hearing"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    done = models.PositiveIntegerField(_("responses done"), default=0)
    total = models.PositiveIntegerField(_("responses in all"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=export_upload_to, blank=True,
                            max_length=255)
    # Why the last attempt failed (empty while none did); shown to the owner with a retry or as final.
    failure = models.CharField(_("reason for failure"), max_length=10, choices=Failure.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


# Selectors (and forms) read the models above, so they are imported once the models exist; page
# contexts above call them at request time.
from . import selectors  # noqa: E402
from .forms import HearingFilterForm  # noqa: E402
