"""Position papers in their organisation's Atom feed (registered in PositionsConfig.ready())."""

from __future__ import annotations

from typing import Any

from portal.core.feeds import FeedEntry, anonymous, entry_id
from portal.security.text import html_to_paragraphs

from . import selectors


def organisation_entries(organisation: Any) -> list[FeedEntry]:
    return [
        FeedEntry(
            id=entry_id("position-paper", paper.pk), title=paper.title, link=paper.get_absolute_url(),
            summary=paper.summary or html_to_paragraphs(paper.body), author=organisation.title,
            published=paper.published_at, updated=paper.updated_at,
        )
        for paper in selectors.papers_of(organisation=organisation, user=anonymous())
    ]
