"""Live suite against a real Elasticsearch: runs when ELASTICSEARCH_URL is set, else skipped."""

from __future__ import annotations

import os
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from tests.helpers import make_user, restrict_to_groups
from tests.search.helpers import publish_page

pytestmark = [
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"),
                       reason="ELASTICSEARCH_URL is not set: no Elasticsearch to run the live suite against"),
    pytest.mark.django_db,
]


@pytest.fixture
def live(settings, monkeypatch):
    from elasticsearch.dsl import connections

    from search import service

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    index = f"portal-search-test-{uuid.uuid4().hex[:8]}"
    settings.PORTAL_SEARCH = {**settings.PORTAL_SEARCH, "BACKEND": "elasticsearch", "ES_INDEX": index}
    monkeypatch.setattr(service, "_es_down_until", 0.0)
    try:
        connections.remove_connection("portal_search")
    except KeyError:
        pass
    yield index
    from search.backends import elastic

    es = elastic.client()
    es.indices.delete(index=f"{index}-*", ignore_unavailable=True)


def _refresh(index):
    from search.backends import elastic

    elastic.client().indices.refresh(index=index)


def test_analyser_keeps_our_lemmas_intact(live):
    from search.backends import elastic

    elastic.ensure_index()
    es = elastic.client()
    tokens = es.indices.analyze(index=live, analyzer="portal_norwegian", text="høringssvaret høringssvar")
    assert [t["token"] for t in tokens["tokens"]] == ["høringssvaret", "høringssvar"]


def test_word_forms_find_each_other_and_private_text_stays_private(live):
    from search import service

    group = Group.objects.create(name="Livegruppe")
    publish_page("Levende", "Høringssvaret fra Lofoten")
    private = publish_page("Privat levende", "Høringssvaret fra Vesterålen")
    restrict_to_groups(private, group)
    _refresh(live)
    anonymous = service.search(user=AnonymousUser(), query="høringssvar")
    assert not anonymous.degraded
    assert {hit.title for hit in anonymous.hits} == {"Levende"}
    member = service.search(user=make_user("live-medlem", groups=(group,)), query="høringssvar Vesterålen")
    assert {hit.title for hit in member.hits} == {"Privat levende"}
    assert service.search(user=AnonymousUser(), query="Vesterålen").total == 0


def test_rebuild_switches_the_alias(live):
    from search import service
    from search.backends import elastic

    service.rebuild_index()
    first = set(elastic.client().indices.get_alias(name=live))
    service.rebuild_index()
    second = set(elastic.client().indices.get_alias(name=live))
    assert len(first) == len(second) == 1 and first != second
