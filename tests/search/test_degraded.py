"""With Elasticsearch configured but down: the search page says search is degraded and answers
from the database backend; index updates are queued and replayed, in order, when it returns."""

from __future__ import annotations

import pytest

from search import service
from search.backends import elastic
from search.models import PendingIndexUpdate, SearchEntry
from tests.search.helpers import publish_page, run, titles
from tests.search.test_elasticsearch_contract import elastic_configured  # noqa: F401 - fixture

# Builds its own content on the site skeleton (tests/conftest.py): no demo needed.
pytestmark = [pytest.mark.django_db, pytest.mark.factories]


def test_updates_are_queued_and_search_answers_from_the_database(elastic_configured, client):  # noqa: F811
    page = publish_page("Mens ES er nede", "Vøringsfossen faller")
    queued = list(PendingIndexUpdate.objects.values_list("operation", "object_id"))
    assert ("index", str(page.pk)) in queued
    results = run("Vøringsfossen")
    assert results.degraded and "Mens ES er nede" in titles(results)
    body = client.get("/en/search/", {"q": "Vøringsfossen"}).content.decode()
    assert "data-search-degraded" in body and "Mens ES er nede" in body


def test_queued_updates_are_replayed_in_order_when_elasticsearch_returns(elastic_configured, monkeypatch):  # noqa: F811
    first = publish_page("Først", "Kjosfossen")
    second = publish_page("Deretter", "Steinsdalsfossen")
    second_id = second.pk
    second.delete()
    assert PendingIndexUpdate.objects.count() >= 3
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(elastic, "index_entry", lambda entry, audience: calls.append(("index", entry.object_id)))
    monkeypatch.setattr(elastic, "remove", lambda ct, object_id: calls.append(("remove", object_id)))
    monkeypatch.setattr(service, "_es_down_until", 0.0)
    applied = service.apply_pending_updates()
    assert applied >= 3 and PendingIndexUpdate.objects.count() == 0
    assert ("index", str(first.pk)) in calls
    # The deleted page is removed, never re-sent from its stale queued "index" update.
    assert ("index", str(second_id)) not in calls and calls[-1] == ("remove", str(second_id))
    # Back to normal: new changes go straight through.
    publish_page("Etterpå", "Låtefossen")
    assert PendingIndexUpdate.objects.count() == 0 and calls[-1][0] == "index"


def test_database_index_is_complete_while_elasticsearch_is_down(elastic_configured):  # noqa: F811
    page = publish_page("Fullstendig", "Mardalsfossen")
    assert SearchEntry.objects.filter(object_id=str(page.pk)).exists()
