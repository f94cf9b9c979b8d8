"""Changes to position papers: making (or refreshing) the public copy when the workflow approves
a draft, and withdrawing it when the draft is unpublished."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import expand_db_html

from portal.access.membership import organisation_of
from portal.security.sanitising import sanitise
from search.service import index_object

from .models import PositionPaperPage, PublishedPositionPaper


def public_html(rich_text: str) -> str:
    """The draft's rich text as public HTML: internal links expanded to URLs (the copy lives outside
    Wagtail's rich-text rendering), then only harmless formatting kept."""
    return sanitise(expand_db_html(rich_text or ""))


@transaction.atomic
def publish_copy(*, paper: PositionPaperPage) -> PublishedPositionPaper | None:
    """Copy the live version of ``paper`` to the public list. Returns None if the paper is not
    live or not inside an organisation (nothing is made public then)."""
    paper = PositionPaperPage.objects.get(pk=paper.pk)
    organisation = organisation_of(paper)
    if organisation is None or not paper.live:
        return None
    now = timezone.now()
    copy = PublishedPositionPaper.objects.filter(source=paper).first() or PublishedPositionPaper(
        source=paper, published_at=now
    )
    copy.organisation = organisation
    copy.title = paper.title
    copy.summary = paper.summary
    copy.body = public_html(paper.body)
    copy.language = paper.locale.language_code
    copy.updated_at = now
    copy.withdrawn_at = None
    copy.save()
    copy.topics.set(list(paper.topics.all()))
    _reindex(copy)
    return copy


@transaction.atomic
def withdraw_copy(*, paper: PositionPaperPage) -> None:
    """The draft was unpublished: the public copy disappears from every public channel."""
    for copy in PublishedPositionPaper.objects.filter(source_id=paper.pk, withdrawn_at__isnull=True):
        copy.withdrawn_at = timezone.now()
        copy.save(update_fields=["withdrawn_at"])
        _reindex(copy)


def _reindex(copy: PublishedPositionPaper) -> None:
    """The copy was saved before its topics were set: index it again with them."""
    index_object(copy)
