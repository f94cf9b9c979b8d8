"""The Elasticsearch backend (elasticsearch-dsl, imported from ``elasticsearch.dsl``).

It mirrors the SearchEntry table: the same lemmatised text (so the same words find the same
documents), the same audience tokens (a ``terms`` filter inside the query, so hits, counts and
aggregations only ever cover visible documents). Documents live in a timestamped index behind an
alias; a full rebuild fills a new index and switches the alias in one atomic call.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from elasticsearch.dsl import Date, Document, Integer, Keyword, Search, Text, analyzer, connections, token_filter

from ..text import ParsedQuery

logger = logging.getLogger(__name__)

# Stop words only: we send lemmatised text, so no stemmer is needed (Snowball would undo the
# lemmas' agreement: "høringssvar" → "høringssv").
norwegian_stop = token_filter("portal_norwegian_stop", type="stop", stopwords="_norwegian_")
english_stop = token_filter("portal_english_stop", type="stop", stopwords="_english_")
norwegian = analyzer("portal_norwegian", tokenizer="standard", filter=["lowercase", norwegian_stop])
english = analyzer("portal_english", tokenizer="standard", filter=["lowercase", english_stop])

FACET_FIELDS = {
    "type": "kind",
    "council": "council_key",
    "organisation": "organisation_key",
    "year": "year",
    "status": "status",
    "language": "language",
}
AGG_SIZE = 50
# Title above body above compound parts (the database backend's bm25 weights 5 / 1 / 0.2).
SEARCH_FIELDS = ["title_no^5", "title_en^5", "lemmas_no", "lemmas_en", "parts_no^0.2"]


def alias_name() -> str:
    return str(settings.PORTAL_SEARCH["ES_INDEX"])


class SearchDocument(Document):
    entry_id = Integer()
    kind = Keyword()
    language = Keyword()
    title = Keyword(index=False)
    url = Keyword(index=False)
    text = Text(index=False)
    # One lemma field per analyser; an entry fills the pair for its language.
    title_no = Text(analyzer=norwegian)
    lemmas_no = Text(analyzer=norwegian, term_vector="with_positions_offsets")
    title_en = Text(analyzer=english)
    lemmas_en = Text(analyzer=english, term_vector="with_positions_offsets")
    # Parts of Norwegian compounds (search.text.parts_text), boosted low as on the database backend.
    parts_no = Text(analyzer=norwegian)
    date = Date()
    year = Integer()
    status = Keyword()
    council_key = Keyword()
    council_title = Keyword()
    organisation_key = Keyword()
    organisation_title = Keyword()
    audience = Keyword()

    class Index:
        name = "portal-search"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def document_for(entry: Any, audience: Iterable[str]) -> SearchDocument:
    """The Elasticsearch document for a SearchEntry (public entries carry the ``public`` token)."""
    suffix = "en" if entry.language == "en" else "no"
    tokens = sorted(set(audience) | ({"public"} if entry.is_public else set()))
    doc = SearchDocument(
        meta={"id": f"{entry.content_type_id}:{entry.object_id}"},
        entry_id=entry.pk,
        kind=entry.kind,
        language=entry.language,
        title=entry.title,
        url=entry.url,
        text=entry.text,
        date=entry.date.isoformat() if entry.date else None,
        year=entry.year,
        status=entry.status,
        council_key=entry.council_key,
        council_title=entry.council_title,
        organisation_key=entry.organisation_key,
        organisation_title=entry.organisation_title,
        audience=tokens,
    )
    setattr(doc, f"title_{suffix}", entry.title_lemmas)
    setattr(doc, f"lemmas_{suffix}", entry.lemmas)
    if suffix == "no" and entry.part_lemmas:
        doc.parts_no = entry.part_lemmas
    return doc


def build_search(
    *, parsed: ParsedQuery, tokens: Iterable[str] | None, filters: dict[str, list[str]], sort: str,
    offset: int, limit: int, index: str | None = None,
) -> Search:
    """The request body we send. ``tokens=None`` means unrestricted (superuser): no audience filter.

    Each query word is one ``multi_match`` over the lemma fields whose query is the word's
    alternatives (surface form and lemmas) joined by spaces with operator OR; all words must match.
    """
    search = Search(index=index or alias_name())
    must = [
        {
            "multi_match": {
                "query": " ".join(group),
                "fields": SEARCH_FIELDS,
                "operator": "or",
            }
        }
        for group in parsed.groups
    ]
    filter_clauses: list[dict[str, Any]] = []
    if tokens is not None:
        filter_clauses.append({"terms": {"audience": sorted(set(tokens) | {"public"})}})
    for name, values in sorted(filters.items()):
        if values and name in FACET_FIELDS:
            filter_clauses.append({"terms": {FACET_FIELDS[name]: list(values)}})
    search = search.query({"bool": {"must": must, "filter": filter_clauses}})
    for name, field_name in FACET_FIELDS.items():
        search.aggs.bucket(name, "terms", field=field_name, size=AGG_SIZE)
    search = search.highlight("lemmas_no", "lemmas_en", fragment_size=160, number_of_fragments=1)
    search = search.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html")
    if sort == "date":
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
    search = search.extra(track_total_hits=True)
    return search[offset:offset + limit]


# --- connection and operations --------------------------------------------------------------------


def client():
    url = settings.ELASTICSEARCH_URL
    try:
        return connections.get_connection("portal_search")
    except KeyError:
        return connections.create_connection(
            alias="portal_search", hosts=[url], request_timeout=settings.PORTAL_SEARCH["ES_TIMEOUT"]
        )


def ensure_index() -> None:
    es = client()
    if not es.indices.exists_alias(name=alias_name()):
        name = new_index_name()
        SearchDocument._index.clone(name=name).create(using=es)
        es.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias_name()}}])


def new_index_name() -> str:
    return f"{alias_name()}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"


def index_entry(entry: Any, audience: Iterable[str]) -> None:
    ensure_index()
    document_for(entry, audience).save(using=client(), index=alias_name(), refresh=False)


def remove(content_type_id: int, object_id: str) -> None:
    ensure_index()
    client().delete(index=alias_name(), id=f"{content_type_id}:{object_id}", ignore_status=404)


def run_search(search: Search) -> Any:
    return search.using(client()).execute()


def rebuild(entries: Iterable[tuple[Any, Iterable[str]]]) -> str:
    """Fill a fresh index and point the alias at it atomically; the old index is then dropped."""
    from elasticsearch.helpers import bulk

    es = client()
    name = new_index_name()
    SearchDocument._index.clone(name=name).create(using=es)
    bulk(es, (document_for(entry, audience).to_dict(include_meta=True) | {"_index": name}
              for entry, audience in entries))
    es.indices.refresh(index=name)
    old = list(es.indices.get_alias(name=alias_name()).keys()) if es.indices.exists_alias(name=alias_name()) else []
    actions = [{"remove": {"index": index, "alias": alias_name()}} for index in old]
    actions.append({"add": {"index": name, "alias": alias_name()}})
    es.indices.update_aliases(actions=actions)
    for index in old:
        es.indices.delete(index=index, ignore_unavailable=True)
    return name
