"""What the portal editor keeps beside the drafts' own revisions: comments between colleagues, who
has the editor open right now, and which revisions are autosaves (so they can be coalesced)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftComment(models.Model):
    """A comment on a draft (on the whole, the general remarks, one part, or a quoted passage), or a
    reply to one. Private to the organisation that owns the draft, like the draft itself."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("draft"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies",
                               verbose_name=_("reply to"))
    # "" for the whole draft, "general" for the general remarks, else a section number ("3.1").
    anchor = models.CharField(_("about"), max_length=40, blank=True)
    quote = models.TextField(_("quoted passage"), blank=True)
    # Sanitised plain text with line breaks; never HTML from the author.
    body = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("resolved by"))

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.page_id}: {self.body[:40]}"


class EditorPresence(models.Model):
    """Someone has the editor of a draft open (refreshed by the page every few seconds)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    where = models.CharField(_("where"), max_length=40, blank=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("editor presence")
        verbose_name_plural = _("editor presences")
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="unique_editor_presence")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.page_id}"


class Autosave(models.Model):
    """Marks a revision made by autosave: later autosaves by the same person within a short window
    update it instead of adding one revision per pause in typing."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("first autosave"))

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")

    def __str__(self) -> str:
        return str(self.revision_id)


class LiveDocument(models.Model):
    """The shared (CRDT) document of a draft's rich text while members write it together: the Yjs
    state as one update, so a server restart, a second server or a laptop coming back online merges
    with it instead of starting over. The draft's revisions stay the record; ``html`` is the text of
    the last revision this document wrote or was loaded from, so a save made without live editing
    (no JavaScript) is noticed and taken into the document instead of being overwritten."""

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("draft"))
    field = models.CharField(_("field"), max_length=40)
    state = models.BinaryField(_("document state"), default=bytes)
    html = models.TextField(_("text of the last revision"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("live document")
        verbose_name_plural = _("live documents")

    def __str__(self) -> str:
        return f"{self.page_id}.{self.field}"
