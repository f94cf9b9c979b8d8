"""Our own search index: one row per indexed object, who may see it, and queued backend updates.

Wagtail's search index cannot filter by per-user visibility and does no lemmatisation, so we keep
a denormalised table that every backend reads (database) or mirrors (Elasticsearch). The full-text
part lives beside it: an FTS5 table on SQLite, a generated tsvector column on PostgreSQL (both
created in migration 0002, kept in sync by the database itself).

Adding a column to SearchEntry on SQLite can make Django remake the table, which drops the FTS
triggers: a migration that does must re-create them (see migration 0004).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    # What the facet "type" shows: an adapter-chosen slug (e.g. "hearing"); labels come from the registry.
    kind = models.CharField(max_length=50, db_index=True)
    language = models.CharField(max_length=8, db_index=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    # Plain text as written, for snippets.
    text = models.TextField(blank=True)
    # Lemmatised text (see search.text.lemma_text): what the full-text index covers.
    title_lemmas = models.TextField(blank=True)
    lemmas = models.TextField(blank=True)
    # Parts of the compounds in title and text (search.text.parts_text), in a lower-weighted
    # full-text column: "høring" finds "høringsorgan", below documents about "høring" itself.
    part_lemmas = models.TextField(blank=True)
    date = models.DateTimeField(null=True, blank=True, db_index=True)
    # What the date is, for its label on the result: "deadline" (Frist), "meeting" (Møtedato),
    # "published" (Publisert).
    date_kind = models.CharField(max_length=20, blank=True, default="published")
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=30, blank=True, db_index=True)
    council_key = models.CharField(max_length=64, blank=True, db_index=True)
    council_title = models.CharField(max_length=255, blank=True)
    organisation_key = models.CharField(max_length=64, blank=True, db_index=True)
    organisation_title = models.CharField(max_length=255, blank=True)
    # Denormalised "public" audience token: the anonymous case needs no join.
    is_public = models.BooleanField(default=False, db_index=True)
    # Translations of one page share a group (its translation key): results show one hit per
    # group, in the reader's language when that version is visible to them (see
    # search.backends.database.one_per_page). Other objects are a group of their own.
    group_key = models.CharField(max_length=80, blank=True)
    # The version a group's translations were made from: the fallback when the reader's language
    # has none.
    is_source = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        indexes = [models.Index(fields=["group_key", "language"], name="search_entry_group_language")]
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_search_entry_object")
        ]

    def __str__(self) -> str:
        return self.title


class SearchTerm(models.Model):
    """Every word form ever indexed, for "did you mean" and for æ/ø/å typed as ae/o/aa.

    It is only ever a source of CANDIDATES: a candidate is offered only after a search for it
    over what the viewer may see finds something, so a word known only from private documents
    is never suggested to someone who cannot see them, and a word whose documents are gone is
    never offered. Words are therefore never removed here."""

    term = models.CharField(max_length=40, unique=True)
    # search.text.fold(term): "opplaering" and "opplæring" share it.
    folded = models.CharField(max_length=80, db_index=True)
    # First two folded letters and the length: the candidate window for edit distance.
    head = models.CharField(max_length=2)
    length = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("search term")
        indexes = [models.Index(fields=["head", "length"], name="search_term_head_length")]

    def __str__(self) -> str:
        return self.term


class SearchEntryAudience(models.Model):
    """One audience token that may see the entry: "group:<id>", "council:<key>", "organisation:<key>",
    "authenticated" (see portal.access.audience). "public" is the entry's is_public flag instead."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="audience")
    token = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("search audience")
        constraints = [models.UniqueConstraint(fields=["entry", "token"], name="unique_search_audience")]
        indexes = [models.Index(fields=["token", "entry"], name="search_audience_token")]

    def __str__(self) -> str:
        return self.token


class PendingIndexUpdate(models.Model):
    """An index update the external backend (Elasticsearch) could not take yet; replayed in order
    when it answers again, so nothing is lost while it is down."""

    class Operation(models.TextChoices):
        INDEX = "index", _("index")
        REMOVE = "remove", _("remove")

    operation = models.CharField(max_length=10, choices=Operation.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("pending index update")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.operation} {self.content_type_id}:{self.object_id}"


class AttachmentText(models.Model):
    """The text extracted from one stored file (a document, an attached original), kept so that
    indexing its object never reads the file again. Extraction runs in a background task
    (search.tasks.extract_attachments), never in the request that uploaded the file; until it has
    run the object is indexed without the file's text. ``key`` names the file where it is stored
    (search.attachments.storage_key); an empty text means there was none, or the file was refused
    (over the size limits) or unreadable."""

    key = models.CharField(max_length=64, unique=True)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
