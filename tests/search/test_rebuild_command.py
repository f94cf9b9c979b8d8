"""The rebuild command re-creates the index from what is live (dropping stale entries) and shows
progress."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from search.models import SearchEntry
from search.service import count_searchable
from tests.search.helpers import publish_page, run, titles

pytestmark = pytest.mark.django_db


def test_rebuild_restores_a_lost_index_and_drops_stale_entries():
    publish_page("Gjenoppbygd", "Femundsmarka gjenoppbygd")
    SearchEntry.objects.all().delete()
    stale = SearchEntry.objects.create(content_type_id=1, object_id="999999", kind="x", language="nb",
                                       title="Foreldet", lemmas="femundsmarka", is_public=True)
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Gjenoppbygd" in titles(run("Femundsmarka"))
    assert not SearchEntry.objects.filter(pk=stale.pk).exists()
    searchable = count_searchable()  # live pages plus registered objects (posts, published responses)
    assert SearchEntry.objects.count() <= searchable  # hidden posts are walked but not indexed
    assert SearchEntry.objects.filter(content_type__model__endswith="page").count() == (
        Page.objects.live().filter(depth__gt=1).count()
    )
    output = out.getvalue()
    assert "[" in output and f"{searchable}/{searchable}" in output and "Indexed" in output


def test_rebuild_without_progress_for_logs():
    out = io.StringIO()
    call_command("rebuild_search_index", "--no-progress", stdout=out)
    assert "/" not in out.getvalue().split("Indexed")[0]
