"""Published position papers are searchable by everyone until withdrawn (never wider than
can_view: a withdrawn copy is removed from the index)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.access.audience import PUBLIC
from portal.security.text import html_to_text
from search.registry import Adapter, Entry, register


def register_adapters() -> None:
    from .models import PublishedPositionPaper

    class PublishedPositionPaperAdapter(Adapter):
        kind = "positionpaper"
        kind_label = _("position paper")

        def entry(self, paper: PublishedPositionPaper) -> Entry | None:
            if paper.withdrawn_at is not None:
                return None
            topics = " ".join(tag.name for tag in paper.topics.all()) if paper.pk else ""
            return Entry(
                title=f"{paper.title} ({paper.organisation.title})",
                text="\n".join([paper.summary, html_to_text(paper.body), topics]),
                url=paper.get_absolute_url(),
                language=paper.language if paper.language in ("nb", "nn", "en") else "nb",
                audience={PUBLIC},
                date=paper.published_at,
                organisation=paper.organisation,
            )

        def related(self, paper: Any) -> list[Any]:
            return []

    register(PublishedPositionPaper, PublishedPositionPaperAdapter())
