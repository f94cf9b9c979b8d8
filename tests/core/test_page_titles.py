"""Page titles tell pages apart: every case history has its own, and a filtered list is not titled
like the whole list (a screen reader user hears the title first; so do browser tabs and history)."""

from __future__ import annotations

import re

import pytest

from portal.meetings.models import AgendaItem
from tests.helpers import demo_page, text

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", text(response), re.S).group(1).strip()


def test_case_history_pages_have_titles_of_their_own(client):
    items = [item for item in AgendaItem.objects.filter(page__live=True, confidential=False).order_by("pk")[:40]
             if client.get(f"/moter/sak/{item.pk}/").status_code == 200][:5]
    assert len(items) >= 2
    titles = [_title(client.get(f"/moter/sak/{item.pk}/")) for item in items]
    assert len(set(titles)) == len(titles), titles
    assert all(item.title in title for item, title in zip(items, titles, strict=True))


def test_a_filtered_hearing_list_says_what_it_shows(client):
    index = demo_page("horinger")
    whole = _title(client.get(index.url))
    filtered = _title(client.get(index.url + "?status=open"))
    assert filtered != whole
    assert filtered.startswith(index.title) and "Status" in filtered


def test_a_filtered_meeting_archive_says_what_it_shows(client):
    whole = _title(client.get("/moter/"))
    filtered = _title(client.get("/moter/?year=2026"))
    assert filtered != whole and "2026" in filtered
