"""What every Atom feed of the portal shares: RFC 4287 entries with an author, an IRI as id, and
plain text sent as plain text.

Feeds are public: whoever asks gets what an anonymous reader may see, decided by the visibility
service (portal.access.visibility), never by the session that happens to come with the request.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

# Entry ids are URNs made from this namespace and a stable key of the thing (its translation key or
# its own UUID): they survive a change of title, slug or host, as RFC 4287 wants ids to.
ENTRY_NAMESPACE = uuid.UUID("6f1c1f58-4a0e-4c57-9a8e-3d8a2b1c9e70")


def entry_id(kind: str, key: Any) -> str:
    """A permanent IRI for an entry: ``urn:uuid:…``, the same for every language version and host."""
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'{kind}/{key}')}"


def anonymous() -> AnonymousUser:
    return AnonymousUser()


class TextAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text: Django's generator labels every summary ``type="html"``,
    which makes readers collapse our line breaks and read "<" as markup."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description"):
            handler.addQuickElement("summary", item["description"], {"type": "text"})


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an Atom feed built from several kinds of content (responses, papers, outcomes)."""

    id: str
    title: str
    link: str
    summary: str
    author: str
    published: datetime.datetime
    updated: datetime.datetime


class EntriesFeed(Feed):
    """A feed whose ``entries(obj)`` returns :class:`FeedEntry` items, newest first."""

    feed_type = TextAtomFeed
    limit = 50

    def entries(self, obj: Any) -> list[FeedEntry]:
        raise NotImplementedError

    def items(self, obj: Any) -> list[FeedEntry]:
        return sorted(self.entries(obj), key=lambda entry: entry.updated, reverse=True)[: self.limit]

    def item_title(self, entry: FeedEntry) -> str:
        return entry.title

    def item_link(self, entry: FeedEntry) -> str:
        return entry.link or "/"

    def item_description(self, entry: FeedEntry) -> str:
        return entry.summary

    def item_guid(self, entry: FeedEntry) -> str:
        return entry.id

    def item_author_name(self, entry: FeedEntry) -> str:
        return entry.author

    def item_pubdate(self, entry: FeedEntry) -> datetime.datetime:
        return entry.published

    def item_updateddate(self, entry: FeedEntry) -> datetime.datetime:
        return entry.updated
