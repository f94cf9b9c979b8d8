"""Reads about position papers: the public list (with its topic filter), one paper, an
organisation's papers. Every read goes through the visibility service."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Locale

from portal.access import generation
from portal.access.users import User
from portal.access.visibility import can_view, filter_viewable

from .models import PositionPaperIndexPage, PublishedPositionPaper


def viewable_papers(user: User) -> QuerySet[PublishedPositionPaper]:
    return filter_viewable(user, PublishedPositionPaper.objects.all()).select_related("organisation")


def listing(*, user: User, topic: str = "") -> dict[str, Any]:
    """The public list, filtered by a topic slug (``?tema=``). An unknown topic is not an error:
    the reader is told and sees every paper."""
    papers = viewable_papers(user)
    topics = list(Tag.objects.filter(pk__in=papers.values("topics")).order_by("name"))
    topic = (topic or "").strip()
    current = None
    message = ""
    if topic:
        current = next((tag for tag in topics if tag.slug == topic), None)
        if current is None:
            message = _("There is no topic called “%(topic)s”. Showing all position papers.") % {"topic": topic}
        else:
            papers = papers.filter(topics=current)
    return {
        "papers": list(papers.prefetch_related("topics")),
        "topics": topics,
        "current_topic": current,
        "topic_message": message,
    }


def published_paper(*, user: User, pk: int) -> PublishedPositionPaper | None:
    paper = PublishedPositionPaper.objects.select_related("organisation").filter(pk=pk).first()
    if paper is None or not can_view(user, paper):
        return None
    return paper


def papers_of(*, organisation: Any, user: User) -> list[PublishedPositionPaper]:
    """What the organisation has published, for its public page (every language version)."""
    return list(viewable_papers(user).filter(
        organisation__translation_key=organisation.translation_key
    ).prefetch_related("topics"))


def index_url(language: str = "") -> str:
    """URL of ``index_page(language)`` ("" without one), per content generation: every paper's
    link starts with it (a query per paper otherwise)."""

    def compute() -> str:
        index = index_page(language)
        return (index.url or "") if index is not None else ""

    return generation.cached("position-paper-index-url", (language,), compute)


def index_page(language: str = "") -> PositionPaperIndexPage | None:
    """The live list page in ``language``, else in the default language."""
    pages = PositionPaperIndexPage.objects.live()
    if language:
        page = pages.filter(locale__language_code=language).first()
        if page is not None:
            return page
    return pages.filter(locale=Locale.get_default()).first() or pages.first()
