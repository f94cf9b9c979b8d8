"""How a meeting page is described in the search index: dated by when the meeting is held.

The indexed text itself comes from MeetingPage.search_fields, which hold public text only."""

from __future__ import annotations

from typing import Any

from search.adapters import PortalPageAdapter
from search.registry import Entry, register


class MeetingAdapter(PortalPageAdapter):
    def complete(self, page: Any, entry: Entry) -> None:
        super().complete(page, entry)
        entry.date = page.start
        entry.date_kind = "meeting"


def register_adapter() -> None:
    from .models import MeetingPage

    register(MeetingPage, MeetingAdapter())
