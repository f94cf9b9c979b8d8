"""Contract tests for the Elasticsearch backend: the exact index settings, mappings and request
bodies we send (including the permission filter), without a cluster. The live suite
(test_elasticsearch_live.py) checks the same against a real one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from elasticsearch.dsl.response import Response

from search.backends import elastic
from search.models import SearchEntry
from search.text import parse_query
from tests.helpers import make_user, restrict_to_groups
from tests.search.helpers import publish_page

ANALYSIS = {
    "analyzer": {
        "portal_english": {"tokenizer": "standard", "filter": ["lowercase", "portal_english_stop"], "type": "custom"},
        "portal_norwegian": {
            "tokenizer": "standard", "filter": ["lowercase", "portal_norwegian_stop"], "type": "custom",
        },
    },
    "filter": {
        "portal_english_stop": {"stopwords": "_english_", "type": "stop"},
        "portal_norwegian_stop": {"stopwords": "_norwegian_", "type": "stop"},
    },
}
MAPPINGS = {
    "properties": {
        "entry_id": {"type": "integer"},
        "kind": {"type": "keyword"},
        "language": {"type": "keyword"},
        "title": {"type": "keyword", "index": False},
        "url": {"type": "keyword", "index": False},
        "text": {"type": "text", "index": False},
        "title_no": {"type": "text", "analyzer": "portal_norwegian"},
        "lemmas_no": {"type": "text", "analyzer": "portal_norwegian", "term_vector": "with_positions_offsets"},
        "title_en": {"type": "text", "analyzer": "portal_english"},
        "lemmas_en": {"type": "text", "analyzer": "portal_english", "term_vector": "with_positions_offsets"},
        "parts_no": {"type": "text", "analyzer": "portal_norwegian"},
        "date": {"type": "date"},
        "year": {"type": "integer"},
        "status": {"type": "keyword"},
        "council_key": {"type": "keyword"},
        "council_title": {"type": "keyword"},
        "organisation_key": {"type": "keyword"},
        "organisation_title": {"type": "keyword"},
        "audience": {"type": "keyword"},
    }
}
FIELDS = ["title_no^5", "title_en^5", "lemmas_no", "lemmas_en", "parts_no^0.2"]
AGGS = {
    name: {"terms": {"field": field_name, "size": 50}}
    for name, field_name in [
        ("type", "kind"), ("council", "council_key"), ("organisation", "organisation_key"), ("year", "year"),
        ("status", "status"), ("language", "language"),
    ]
}
HIGHLIGHT = {
    "fields": {
        "lemmas_no": {"fragment_size": 160, "number_of_fragments": 1},
        "lemmas_en": {"fragment_size": 160, "number_of_fragments": 1},
    },
    "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
}


def test_index_settings_and_mappings_are_exactly_what_we_expect():
    body = elastic.SearchDocument._index.to_dict()
    assert body == {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": ANALYSIS},
        "mappings": MAPPINGS,
    }


def test_lemma_fields_have_no_stemmer_because_we_send_lemmas():
    """A Snowball stemmer would split høringssvar/høringssvaret again ("høringssv" vs "høringssvar")."""
    for analyser in ANALYSIS["analyzer"].values():
        assert not any("stem" in name for name in analyser["filter"])


def test_query_body_with_permission_filter_facets_highlight_and_paging():
    search = elastic.build_search(
        parsed=parse_query("høringssvaret medlem"), tokens=frozenset({"public", "group:3", "council:abc"}),
        filters={"year": ["2026"], "type": ["hearingpage"], "council": []}, sort="relevance", offset=20, limit=20,
        index="portal-search",
    )
    assert search.to_dict() == {
        "query": {
            "bool": {
                "must": [
                    {"multi_match": {"query": "høringssvaret høringssvar", "fields": FIELDS, "operator": "or"}},
                    {"multi_match": {"query": "medlem", "fields": FIELDS, "operator": "or"}},
                ],
                "filter": [
                    {"terms": {"audience": ["council:abc", "group:3", "public"]}},
                    {"terms": {"kind": ["hearingpage"]}},
                    {"terms": {"year": ["2026"]}},
                ],
            }
        },
        "aggs": AGGS,
        "highlight": HIGHLIGHT,
        "track_total_hits": True,
        "from": 20,
        "size": 20,
    }
    assert search._index == ["portal-search"]


def test_anonymous_query_is_filtered_to_public_and_superuser_query_is_not_filtered():
    anonymous = elastic.build_search(parsed=parse_query("møte"), tokens=frozenset({"public"}), filters={},
                                     sort="date", offset=0, limit=20)
    assert anonymous.to_dict()["query"] == {"bool": {
        "must": [{"multi_match": {"query": "møte", "fields": FIELDS, "operator": "or"}}],
        "filter": [{"terms": {"audience": ["public"]}}],
    }}
    assert anonymous.to_dict()["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
    unrestricted = elastic.build_search(parsed=parse_query("møte"), tokens=None, filters={}, sort="relevance",
                                        offset=0, limit=20)
    assert "filter" not in unrestricted.to_dict()["query"]["bool"]


def _analyse(text: str) -> set[str]:
    """What portal_norwegian makes of text: standard tokenizer + lowercase (stop words aside)."""
    import re

    return {token.lower() for token in re.findall(r"\w+", text)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "typed", "language"),
    [
        ("brukerrepresentant", "brukerrepresentantene", "nb"), ("brukerrepresentantene", "brukerrepresentant", "nb"),
        ("høringsfrister", "høringsfrist", "nb"), ("høringsfrist", "høringsfrister", "nb"),
        ("høringssvar", "høringssvaret", "nb"), ("høringssvaret", "høringssvar", "nb"),
        ("medlem", "medlemmene", "nb"), ("medlemmene", "medlem", "nb"),
        ("møte", "møtene", "nb"), ("møtene", "møte", "nb"),
        ("høyringssvar", "høyringssvaret", "nn"), ("høyringssvaret", "høyringssvar", "nn"),
    ],
)
def test_documents_analysed_text_meets_the_query_of_the_other_form(written, typed, language):
    page = publish_page(f"Dok {written}", f"Teksten nevner {written}.", language=language)
    entry = SearchEntry.objects.get(object_id=str(page.pk))
    document = elastic.document_for(entry, []).to_dict()
    assert "lemmas_en" not in document
    body = elastic.build_search(parsed=parse_query(typed), tokens=frozenset({"public"}), filters={},
                                sort="relevance", offset=0, limit=20).to_dict()
    (clause,) = body["query"]["bool"]["must"]
    assert _analyse(document["lemmas_no"]) & _analyse(clause["multi_match"]["query"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "typed", "field"),
    [
        ("høringsorganet", "høring", "parts_no"), ("lønnsvilkår", "lønn", "parts_no"),
        ("brukerrepresentantene", "brukarrepresentantane", "lemmas_no"), ("tjenester", "tenester", "lemmas_no"),
        ("sanksjoner", "sanksjon", "lemmas_no"),
    ],
)
def test_compound_parts_and_nynorsk_reach_elasticsearch(written, typed, field):
    """Round two's word forms travel to Elasticsearch in the document: a part of a compound meets
    the low-boosted parts field, a Nynorsk query the Bokmål document's lemmas."""
    page = publish_page(f"Dok {written}", f"Teksten nevner {written}.")
    entry = SearchEntry.objects.get(object_id=str(page.pk))
    document = elastic.document_for(entry, []).to_dict()
    body = elastic.build_search(parsed=parse_query(typed), tokens=frozenset({"public"}), filters={},
                                sort="relevance", offset=0, limit=20).to_dict()
    (clause,) = body["query"]["bool"]["must"]
    assert "parts_no^0.2" in clause["multi_match"]["fields"]
    assert _analyse(document[field]) & _analyse(clause["multi_match"]["query"])


@pytest.mark.django_db
def test_document_carries_audience_and_facets():
    group = Group.objects.create(name="Dokgruppe")
    page = publish_page("Privat dok", "Tekst")
    restrict_to_groups(page, group)
    entry = SearchEntry.objects.get(object_id=str(page.pk))
    document = elastic.document_for(entry, entry.audience.values_list("token", flat=True))
    data = document.to_dict()
    assert data["audience"] == [f"group:{group.pk}"]
    assert document.meta.id == f"{entry.content_type_id}:{entry.object_id}"
    assert data["language"] == "nb" and data["kind"] == "standardpage" and data["year"] == entry.date.year


@pytest.fixture
def elastic_configured(settings, monkeypatch):
    from search import service

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.PORTAL_SEARCH = {**settings.PORTAL_SEARCH, "BACKEND": "elasticsearch", "ES_TIMEOUT": 1}
    monkeypatch.setattr(service, "_es_down_until", 0.0)
    from elasticsearch.dsl import connections

    try:
        connections.remove_connection("portal_search")
    except KeyError:
        pass
    yield
    try:
        connections.remove_connection("portal_search")
    except KeyError:
        pass


@pytest.mark.django_db
def test_search_uses_elasticsearch_with_the_users_audience_and_maps_the_answer(elastic_configured, monkeypatch):
    from search import service

    monkeypatch.setattr(elastic, "index_entry", lambda entry, audience: None)
    page = publish_page("Fra elastic", "Ørnereir i Aurland")
    entry = SearchEntry.objects.get(object_id=str(page.pk))
    sent = []

    def fake_run(search):
        sent.append(search.to_dict())
        return Response(search, {
            "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [
                {"_index": "portal-search-1", "_id": "x", "_score": 1.0, "_source": {"entry_id": entry.pk}}
            ]},
            "aggregations": {
                name: {"buckets": [{"key": value, "doc_count": 1}]}
                for name, value in [("type", "standardpage"), ("council", ""), ("organisation", ""),
                                    ("year", entry.year), ("status", ""), ("language", "nb")]
            },
        })

    monkeypatch.setattr(elastic, "run_search", fake_run)
    user = make_user("elastic-leser", groups=(Group.objects.create(name="Elasticgruppe"),))
    results = service.search(user=user, query="ørnereir")
    assert not results.degraded
    assert [hit.title for hit in results.hits] == ["Fra elastic"]
    assert "<mark>Ørnereir</mark>" in results.hits[0].snippet
    assert {value.value: value.count for value in results.facets["type"]} == {"standardpage": 1}
    audience = sent[0]["query"]["bool"]["filter"][0]["terms"]["audience"]
    assert "public" in audience and "authenticated" in audience
    assert any(token.startswith("group:") for token in audience)
    service.search(user=AnonymousUser(), query="ørnereir")
    assert sent[1]["query"]["bool"]["filter"][0] == {"terms": {"audience": ["public"]}}
