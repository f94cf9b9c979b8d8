"""The search service: index an object, remove it, query for a user.

Interface (everything else in this package is detail):

- ``index_object(obj)``     (re)index one object (a Page or a registered model); removes it when
                             its adapter says it is not searchable (unpublished, hidden...).
- ``remove_object(obj)``    take it out of the index.
- ``search(user=..., query=..., filters=..., sort=..., page=...)`` → :class:`SearchResults`
- ``reindex_page_tree(page)`` after a visibility change on a page (its subtree, translations, aliases).
- ``rebuild_index(progress=...)`` everything, from scratch.

The SearchEntry table is always written and is the database backend's index; with Elasticsearch
configured it is also mirrored there. When Elasticsearch cannot be reached, updates are queued
(PendingIndexUpdate) and replayed when it answers, and queries are answered by the database
backend with ``degraded=True``.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from portal.access import audience as audience_module
from portal.access.users import User

from .attachments import attachment_name, attachment_text, storage_key
from .backends import database
from .models import AttachmentText, PendingIndexUpdate, SearchEntry, SearchEntryAudience, SearchTerm
from .registry import adapter_for, kind_label, registered_models
from .text import (
    ATTACHMENT_MARK,
    MAX_WORD_LENGTH,
    ParsedQuery,
    best_snippet,
    fold,
    lemma_text,
    parse_query,
    parts_text,
    query_forms,
)

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_QUERY_LENGTH = 200
# Characters that would be full-text operators elsewhere; we search for the words only and say so.
_OPERATORS = re.compile(r'["*]')
# Control characters (the null byte above all) never reach a query or the page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SORTS = ("relevance", "date")
_FILTER_VALUE = re.compile(r"^[\w-]{1,64}$")


# --- configuration --------------------------------------------------------------------------------


def backend_name() -> str:
    return str(settings.PORTAL_SEARCH["BACKEND"])


def uses_elasticsearch() -> bool:
    return backend_name() == "elasticsearch" and bool(settings.ELASTICSEARCH_URL)


# After a failed call we do not try Elasticsearch again for a short while: a down cluster must
# not add a connect timeout to every page view and every save.
_es_down_until = 0.0


def _es_available() -> bool:
    return uses_elasticsearch() and time.monotonic() >= _es_down_until


def _mark_es_down() -> None:
    global _es_down_until
    _es_down_until = time.monotonic() + float(str(settings.PORTAL_SEARCH["ES_RETRY_SECONDS"]))


_suspend_mirror = False


def _mark_es_up() -> None:
    global _es_down_until
    _es_down_until = 0.0


# --- indexing -------------------------------------------------------------------------------------


def _key(obj: Any) -> tuple[ContentType, str]:
    if isinstance(obj, Page):
        # Pages are indexed under the base Page content type so a page is one entry whatever
        # specific class it is looked up as.
        return ContentType.objects.get_for_model(Page), str(obj.pk)
    return ContentType.objects.get_for_model(type(obj)), str(obj.pk)


def _aware(value: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@transaction.atomic
def index_object(obj: Any) -> SearchEntry | None:
    """Write the object's entry (or remove it when its adapter returns None)."""
    if isinstance(obj, Page):
        obj = obj.specific
    adapter = adapter_for(obj)
    if adapter is None:
        return None
    data = adapter.entry(obj)
    content_type, object_id = _key(obj)
    if data is None:
        _remove(content_type, object_id)
        return None
    # Each attachment's text follows a marked line with its name, so a snippet from it can say
    # which file it comes from (search.text.best_snippet). Only text already extracted is used:
    # reading files is a background task's work, never the saving request's (#17 finding 7).
    attachments, missing = _extracted_texts(data.attachments)
    text = "".join(
        [data.text, *[f"\n{ATTACHMENT_MARK}{name}{ATTACHMENT_MARK}\n{body}" for name, body in attachments if body]]
    )
    language = data.language if data.language in ("nb", "nn", "en") else "nb"
    date = _aware(data.date)
    tokens = set(data.audience)
    title_lemmas = lemma_text(data.title, language)
    lemmas = lemma_text(text, language)
    part_lemmas = parts_text(f"{data.title}\n{text}", language)
    values = {
        "kind": adapter.kind_for(obj)[:50],
        "language": language,
        "title": (data.title or "")[:500],
        "url": (data.url or "")[:500],
        "text": text,
        "title_lemmas": title_lemmas,
        "lemmas": lemmas,
        "part_lemmas": part_lemmas,
        "date": date,
        "date_kind": data.date_kind or "published",
        "year": date.year if date else None,
        "status": data.status or "",
        "council_key": str(data.council.translation_key) if data.council else "",
        "council_title": data.council.title if data.council else "",
        "organisation_key": str(data.organisation.translation_key) if data.organisation else "",
        "organisation_title": data.organisation.title if data.organisation else "",
        "is_public": audience_module.PUBLIC in tokens,
        **_translation_group(obj, content_type, object_id),
    }
    entry, _created = SearchEntry.objects.update_or_create(
        content_type=content_type, object_id=object_id, defaults=values
    )
    private = sorted(tokens - {audience_module.PUBLIC})
    SearchEntryAudience.objects.filter(entry=entry).exclude(token__in=private).delete()
    existing = set(SearchEntryAudience.objects.filter(entry=entry).values_list("token", flat=True))
    SearchEntryAudience.objects.bulk_create(
        [SearchEntryAudience(entry=entry, token=token) for token in private if token not in existing]
    )
    add_to_vocabulary(f"{title_lemmas} {lemmas} {part_lemmas}".split())
    _mirror("index", content_type, object_id, entry=entry, audience=private)
    if missing:
        # Last, after the entry is written: the task re-indexes the object once the text is read.
        # Enqueued in this transaction, so a worker sees it only once the object is committed.
        from . import tasks  # the tasks module builds on this one

        tasks.extract_attachments.enqueue(content_type_id=content_type.pk, object_id=object_id)
    return entry


def _extracted_texts(items: Iterable[Any]) -> tuple[list[tuple[str, str]], bool]:
    """(name, text) of each attachment whose text is known, and whether any still has to be read."""
    items = list(items)
    keys = [storage_key(item) for item in items]
    known = dict(AttachmentText.objects.filter(key__in=[key for key in keys if key]).values_list("key", "text"))
    texts: list[tuple[str, str]] = []
    missing = False
    for item, key in zip(items, keys, strict=True):
        if key is None:
            texts.append((attachment_name(item), attachment_text(item)))  # not a stored file: in memory
        elif key in known:
            texts.append((attachment_name(item), known[key]))
        else:
            missing = True
    return texts, missing


def extract_attachment_texts(obj: Any) -> int:
    """Read the text of the object's stored attachments not read before (the size, ratio and page
    limits of portal.security.uploads apply: a refused file gives no text). Returns how many were read."""
    if isinstance(obj, Page):
        obj = obj.specific
    adapter = adapter_for(obj)
    data = adapter.entry(obj) if adapter is not None else None
    read = 0
    for item in data.attachments if data is not None else []:
        key = storage_key(item)
        if key is None or AttachmentText.objects.filter(key=key).exists():
            continue
        AttachmentText.objects.update_or_create(key=key, defaults={"text": attachment_text(item)})
        read += 1
    return read


def forget_attachment_text(attachment: Any) -> None:
    """A deleted file's text goes with it (it may be a private document's)."""
    key = storage_key(attachment)
    if key:
        AttachmentText.objects.filter(key=key).delete()


def _translation_group(obj: Any, content_type: ContentType, object_id: str) -> dict[str, Any]:
    """A page's translations are one group; its oldest version (the one translated from) is the
    source. Anything else is a group of its own."""
    if isinstance(obj, Page):
        return {
            "group_key": f"page:{obj.translation_key}",
            "is_source": not Page.objects.filter(translation_key=obj.translation_key, pk__lt=obj.pk).exists(),
        }
    return {"group_key": f"{content_type.pk}:{object_id}", "is_source": True}


def add_to_vocabulary(words: Iterable[str]) -> None:
    """Remember indexed words for "did you mean" (see SearchTerm: candidates only)."""
    terms = {word for word in words if 2 < len(word) <= MAX_WORD_LENGTH and not word.isdigit()}
    if not terms:
        return
    known: set[str] = set()
    term_list = sorted(terms)
    for start in range(0, len(term_list), 500):
        known.update(SearchTerm.objects.filter(term__in=term_list[start:start + 500]).values_list("term", flat=True))
    new = []
    for term in term_list:
        if term in known:
            continue
        folded = fold(term)
        new.append(SearchTerm(term=term, folded=folded[:80], head=folded[:2], length=len(folded)))
    SearchTerm.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)


def remove_object(obj: Any) -> None:
    content_type, object_id = _key(obj)
    _remove(content_type, object_id)


def _remove(content_type: ContentType, object_id: str) -> None:
    deleted, _ = SearchEntry.objects.filter(content_type=content_type, object_id=object_id).delete()
    if deleted or uses_elasticsearch():
        _mirror("remove", content_type, object_id)


def _mirror(operation: str, content_type: ContentType, object_id: str, *, entry: SearchEntry | None = None,
            audience: Iterable[str] = ()) -> None:
    """Send the change to Elasticsearch, or queue it when Elasticsearch is down."""
    if not uses_elasticsearch() or _suspend_mirror:
        return
    if not _es_available() or PendingIndexUpdate.objects.exists():
        # Keep order: while anything is queued, new changes queue behind it.
        _queue(operation, content_type, object_id)
        if _es_available():
            apply_pending_updates()
        return
    try:
        from .backends import elastic

        if operation == "index" and entry is not None:
            elastic.index_entry(entry, audience)
        else:
            elastic.remove(content_type.pk, object_id)
    except Exception:  # noqa: BLE001 - any transport/API failure: queue, never lose the update
        logger.warning("Elasticsearch unavailable; queued %s %s:%s", operation, content_type.pk, object_id)
        _mark_es_down()
        _queue(operation, content_type, object_id)


def _queue(operation: str, content_type: ContentType, object_id: str) -> None:
    PendingIndexUpdate.objects.create(operation=operation, content_type=content_type, object_id=object_id)


def apply_pending_updates(*, limit: int = 500) -> int:
    """Replay queued updates against Elasticsearch, oldest first; stops at the first failure.
    Each replay reads the entry as it is NOW, so a stale queued state is never sent."""
    if not uses_elasticsearch():
        return 0
    from .backends import elastic

    done = 0
    for update in PendingIndexUpdate.objects.order_by("pk")[:limit]:
        entry = SearchEntry.objects.filter(
            content_type_id=update.content_type_id, object_id=update.object_id
        ).first()
        try:
            if entry is not None:
                elastic.index_entry(entry, entry.audience.values_list("token", flat=True))
            else:
                elastic.remove(update.content_type_id, update.object_id)
        except Exception:  # noqa: BLE001 - still down: leave the rest queued
            PendingIndexUpdate.objects.filter(pk=update.pk).update(attempts=update.attempts + 1)
            _mark_es_down()
            return done
        update.delete()
        done += 1
    _mark_es_up()
    return done


def _pages_affected_by(page: Page) -> Q:
    """The page's subtree, every translation of a page in it, and every alias of those."""
    subtree = Page.objects.filter(path__startswith=page.path)
    keys = subtree.values("translation_key")
    return Q(path__startswith=page.path) | Q(translation_key__in=keys) | Q(alias_of__translation_key__in=keys)


# A visibility change re-indexes its page's subtree, translations and aliases before the request
# returns. Above this many pages that would take seconds: their entries are taken out at once
# instead (cheap, and a page missing from search for a moment shows nobody anything) and a task
# writes them back with their new audiences.
TREE_INLINE_LIMIT = 200


def reindex_page_tree(page: Page, *, inline_limit: int | None = None) -> int:
    """Re-index everything a visibility change on ``page`` can affect. Returns the count."""
    affected = Page.objects.filter(_pages_affected_by(page))
    limit = TREE_INLINE_LIMIT if inline_limit is None else inline_limit
    ids = list(affected.values_list("pk", flat=True)[:limit + 1])
    if len(ids) > limit:
        ids = list(affected.values_list("pk", flat=True))
        _remove_pages(ids)
        from . import tasks  # the tasks module builds on this one

        tasks.reindex_pages.enqueue(page_ids=ids)
        return len(ids)
    count = 0
    for affected_page in affected.specific().iterator():
        index_object(affected_page)
        count += 1
    return count


def _remove_pages(ids: list[int]) -> None:
    page_type = ContentType.objects.get_for_model(Page)
    object_ids = [str(pk) for pk in ids]
    for start in range(0, len(object_ids), 500):
        SearchEntry.objects.filter(content_type=page_type, object_id__in=object_ids[start:start + 500]).delete()
    if uses_elasticsearch():
        for object_id in object_ids:
            _mirror("remove", page_type, object_id)


def iter_searchable() -> Iterable[Any]:
    """Everything the rebuild indexes: live pages, then every registered model's objects."""
    yield from Page.objects.live().filter(depth__gt=1).specific().iterator()
    for model in registered_models():
        adapter = adapter_for(model)
        if adapter is not None:
            yield from adapter.queryset(model).iterator()


def reindex_due(*, now: datetime.datetime | None = None) -> int:
    """Re-index what the clock has changed (see Adapter.due); run on a schedule. Returns the count."""
    now = now or timezone.now()
    count = 0
    for model in registered_models():
        adapter = adapter_for(model)
        for obj in adapter.due(model, now) if adapter is not None else []:
            index_object(obj)
            count += 1
    return count


def count_searchable() -> int:
    total = Page.objects.live().filter(depth__gt=1).count()
    for model in registered_models():
        adapter = adapter_for(model)
        total += adapter.queryset(model).count() if adapter is not None else 0
    return total


def rebuild_index(*, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the database index from scratch (and Elasticsearch behind a fresh alias)."""
    seen: set[tuple[int, str]] = set()
    count = 0
    for obj in iter_searchable():
        entry = index_object(obj) if not uses_elasticsearch() else _index_without_mirror(obj)
        if entry is not None:
            seen.add((entry.content_type_id, entry.object_id))
        count += 1
        if progress:
            progress(count)
    stale = [
        pk for pk, ct, oid in SearchEntry.objects.values_list("pk", "content_type_id", "object_id")
        if (ct, oid) not in seen
    ]
    for start in range(0, len(stale), 500):
        SearchEntry.objects.filter(pk__in=stale[start:start + 500]).delete()
    if uses_elasticsearch():
        from .backends import elastic

        elastic.rebuild(
            (entry, entry.audience.values_list("token", flat=True)) for entry in SearchEntry.objects.iterator()
        )
        PendingIndexUpdate.objects.all().delete()
    return count


def _index_without_mirror(obj: Any) -> SearchEntry | None:
    """During a full rebuild the fresh Elasticsearch index is filled from the table afterwards."""
    global _suspend_mirror
    _suspend_mirror = True
    try:
        return index_object(obj)
    finally:
        _suspend_mirror = False


# --- querying -------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    title: str
    url: str
    snippet: SafeString
    kind: str
    kind_label: str
    language: str
    date: datetime.datetime | None
    status: str
    council_title: str
    organisation_title: str
    # The file the snippet comes from, when it comes from an attachment ("Høringsnotat.pdf").
    attachment: str = ""
    # "deadline", "meeting" or "published": what ``date`` is.
    date_kind: str = "published"
    # The hit's language when it is not the reader's (a page with no version in their language).
    other_language: str = ""


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    per_page: int = PER_PAGE
    sort: str = "relevance"
    filters: dict[str, list[str]] = field(default_factory=dict)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Problems with the input that the page explains: "empty", "no_words", "stop_words",
    # "shortened", "bad_filters", "page_out_of_range".
    notices: list[str] = field(default_factory=list)
    degraded: bool = False
    backend: str = "database"
    # "Did you mean": a query that finds something for this viewer when this one found nothing.
    suggestion: str = ""
    # When the results are for a corrected query: what the viewer typed (``query`` is the correction).
    corrected_from: str = ""
    # More than ``total`` matches ("over 1 000 results"): ranking, pages and facet counts cover the
    # newest ``total`` of them (search.backends.database.search_bounded).
    total_capped: bool = False

    @property
    def searched(self) -> bool:
        return self.total > 0 or bool(self.query.strip()) and not {"empty", "no_words", "stop_words"} & set(
            self.notices
        )

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


# Status values' labels (gettext_lazy), filled by the apps whose content has a status.
STATUS_LABELS: dict[str, Any] = {}


def register_status_labels(labels: dict[str, Any]) -> None:
    """Called from an app's ``ready()``: how the status facet names that app's status values."""
    STATUS_LABELS.update(labels)


def _status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


def _language_label(value: str) -> str:
    return str(dict(settings.LANGUAGES).get(value, value))


def clean_filters(raw: dict[str, Iterable[str]]) -> tuple[dict[str, list[str]], bool]:
    """Keep known facet names with well-formed values; report whether anything was dropped."""
    cleaned: dict[str, list[str]] = {}
    dropped = False
    for name, values in raw.items():
        if name not in database.FACET_FIELDS:
            continue
        for value in values:
            value = (value or "").strip()
            if not value:
                continue
            ok = bool(_FILTER_VALUE.match(value))
            if name == "year":
                ok = value.isdigit() and 1900 <= int(value) <= 2200
            elif name == "language":
                ok = value in dict(settings.LANGUAGES)
            if ok:
                cleaned.setdefault(name, [])
                if value not in cleaned[name]:
                    cleaned[name].append(value)
            else:
                dropped = True
    return cleaned, dropped


def _page_number(raw: Any) -> tuple[int, bool]:
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 1, raw not in (None, "")
    if number < 1:
        return 1, True
    return min(number, 10_000), number > 10_000


def _cut_at_word(query: str, limit: int) -> str:
    """At most ``limit`` characters, never ending inside a word."""
    if len(query) <= limit:
        return query
    cut = query[:limit]
    if not query[limit].isspace() and not cut[-1].isspace():
        space = max(cut.rfind(" "), cut.rfind("\t"), cut.rfind("\n"))
        if space > 0:
            cut = cut[:space]
    return cut.rstrip()


def search(
    *, user: User, query: str, filters: dict[str, Iterable[str]] | None = None, sort: str = "relevance",
    page: Any = 1, per_page: int = PER_PAGE,
) -> SearchResults:
    """Search what ``user`` may see. Never raises on bad input: problems become notices.

    When nothing is found and a query word is unknown to what the viewer may see, the nearest
    word that does find something for them is searched instead, and the page says so."""
    query = _CONTROL.sub("", query or "")
    notices: list[str] = []
    if len(query) > MAX_QUERY_LENGTH:
        query = _cut_at_word(query, MAX_QUERY_LENGTH)
        notices.append("shortened")
    if _OPERATORS.search(query):
        notices.append("operators_ignored")
    cleaned, dropped = clean_filters(filters or {})
    if dropped:
        notices.append("bad_filters")
    sort = sort if sort in SORTS else "relevance"
    number, bad_page = _page_number(page)
    results = SearchResults(query=query.strip(), sort=sort, filters=cleaned, per_page=per_page,
                            backend=backend_name())
    parsed = parse_query(query)
    if parsed.is_empty:
        results.notices = notices + [parsed.problem]
        return results
    unrestricted = audience_module.is_unrestricted(user)
    tokens = audience_module.viewer_tokens(user)
    with database.without_jit():  # the "did you mean" look-ups too
        return _search_and_correct(results, parsed, tokens, unrestricted, cleaned, sort, number, bad_page,
                                   per_page, notices)


def _search_and_correct(results: SearchResults, parsed: ParsedQuery, tokens: frozenset[str], unrestricted: bool,
                        cleaned: dict[str, list[str]], sort: str, number: int, bad_page: bool, per_page: int,
                        notices: list[str]) -> SearchResults:
    entries, total, facets, number, bad_page, degraded, capped = _run_search(
        parsed, tokens, unrestricted, cleaned, sort, number, bad_page, per_page
    )
    if total == 0:
        suggestion = suggest(parsed, tokens=tokens, unrestricted=unrestricted)
        if suggestion:
            corrected = parse_query(suggestion)
            found = _run_search(corrected, tokens, unrestricted, cleaned, sort, number, bad_page, per_page)
            if found[1]:
                entries, total, facets, number, bad_page, degraded, capped = found
                parsed = corrected
                results.corrected_from = results.query
                results.query = suggestion
            else:
                results.suggestion = suggestion
    results.degraded = degraded
    num_pages = max(1, math.ceil(total / per_page))
    if bad_page:
        notices.append("page_out_of_range")
    results.hits = [_hit(entry, parsed) for entry in entries]
    results.total = total
    results.total_capped = capped
    results.page = number
    results.num_pages = num_pages
    results.facets = _facet_values(facets, cleaned)
    results.notices = notices
    return results


def _reader_language() -> str:
    from django.utils.translation import get_language

    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _run_search(parsed: ParsedQuery, tokens: frozenset[str], unrestricted: bool, cleaned: dict[str, list[str]],
                sort: str, number: int, bad_page: bool, per_page: int):
    entries: list[SearchEntry] | None = None
    capped = False
    if uses_elasticsearch() and _es_available():
        try:
            entries, total, facets = _search_elastic(parsed, tokens, unrestricted, cleaned, sort, number, per_page)
        except Exception:  # noqa: BLE001 - any failure of the cluster: answer from the database
            logger.warning("Elasticsearch query failed; answering from the database", exc_info=True)
            _mark_es_down()
            entries = None
    degraded = False
    if entries is None:
        degraded = uses_elasticsearch()
        found = database.search_bounded(
            parsed=parsed, tokens=tokens, unrestricted=unrestricted, filters=cleaned, sort=sort,
            offset=(number - 1) * per_page, limit=per_page, language=_reader_language(),
        )
        num_pages = max(1, math.ceil(found.total / per_page))
        if number > num_pages:
            bad_page = True
            number = num_pages
            found = database.search_bounded(
                parsed=parsed, tokens=tokens, unrestricted=unrestricted, filters=cleaned, sort=sort,
                offset=(number - 1) * per_page, limit=per_page, language=_reader_language(),
            )
        entries, total, facets, capped = found.entries, found.total, found.facets, found.capped
    else:
        number = min(number, max(1, math.ceil(total / per_page)))
    return entries, total, facets, number, bad_page, degraded, capped


# Candidates further than this (in edit operations on folded spellings) are not offered.
def _max_distance(length: int) -> int:
    return 1 if length <= 5 else 2


def spelling_candidates(word: str, *, limit: int = 5) -> list[str]:
    """Indexed words nearest to ``word``: the same word with æ/ø/å spelt out ("opplaering") first,
    then by edit distance. Candidates only: :func:`suggest` checks what the viewer may see."""
    from rapidfuzz.distance import Levenshtein

    folded = fold(word)
    if len(folded) < 3:
        return []
    width = _max_distance(len(folded))
    rows = SearchTerm.objects.filter(
        head=folded[:2], length__gte=len(folded) - width, length__lte=len(folded) + width
    ).values_list("term", "folded")
    scored = []
    for term, term_folded in rows:
        if term == word:
            continue
        distance = Levenshtein.distance(folded, term_folded, score_cutoff=width)
        if distance <= width:
            scored.append((distance, abs(len(term) - len(word)), term))
    scored.sort()
    return [term for _distance, _length, term in scored[:limit]]


def suggest(parsed: ParsedQuery, *, tokens: Iterable[str], unrestricted: bool) -> str:
    """The query with each word that finds nothing the viewer may see replaced by the nearest
    indexed word that does ("" when there is nothing to suggest). Every check runs through the
    viewer's audience filter, so a word only private documents hold is never suggested to someone
    who cannot see them, nor revealed by whether a suggestion appears."""
    visible = database.visible_entries(tokens=tokens, unrestricted=unrestricted)

    def finds(forms: tuple[str, ...]) -> bool:
        return database.has_match(visible, ParsedQuery((forms,)))

    words = list(parsed.words)
    changed = False
    for position, (word, group) in enumerate(zip(parsed.words, parsed.groups, strict=True)):
        if word.isdigit() or finds(group):
            continue
        for candidate in spelling_candidates(word):
            if finds(query_forms(candidate)):
                words[position] = candidate
                changed = True
                break
    return " ".join(words) if changed else ""


def _search_elastic(parsed: ParsedQuery, tokens: frozenset[str], unrestricted: bool,
                    filters: dict[str, list[str]], sort: str, number: int, per_page: int):
    from .backends import elastic

    def run(page_number: int):
        body = elastic.build_search(
            parsed=parsed, tokens=None if unrestricted else tokens, filters=filters, sort=sort,
            offset=(page_number - 1) * per_page, limit=per_page,
        )
        return elastic.run_search(body)

    response = run(number)
    total = response.hits.total.value
    last = max(1, math.ceil(total / per_page))
    if number > last:
        response = run(last)
    ids = [hit.entry_id for hit in response]
    by_id = SearchEntry.objects.in_bulk(ids)
    # The Elasticsearch hit already passed the audience filter; the table row gives snippet text.
    entries = [by_id[pk] for pk in ids if pk in by_id]
    aggs = response.aggregations
    facets: dict[str, list[tuple[str, str, int]]] = {}
    # Titles come from our table (keys only in Elasticsearch buckets), only for the keys shown.
    label_rows = {
        name: dict(
            SearchEntry.objects.filter(**{f"{key_field}__in": [b.key for b in getattr(aggs, name).buckets]})
            .values_list(key_field, title_field).distinct()
        )
        for name, key_field, title_field in (
            ("council", "council_key", "council_title"),
            ("organisation", "organisation_key", "organisation_title"),
        )
    }
    for name in database.FACET_FIELDS:
        facets[name] = [
            (str(bucket.key), label_rows.get(name, {}).get(bucket.key, ""), bucket.doc_count)
            for bucket in getattr(aggs, name).buckets
            if bucket.key not in ("", None)
        ]
    return entries, total, facets


def _localised_titles(keys: Iterable[str]) -> dict[str, str]:
    """Council / organisation page titles in the active language, by translation key."""
    from django.utils.translation import get_language

    keys = [key for key in keys if key]
    if not keys:
        return {}
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    try:
        rows = Page.objects.filter(translation_key__in=keys, locale__language_code=language)
        return {str(key): title for key, title in rows.values_list("translation_key", "title")}
    except Exception:  # noqa: BLE001 - a malformed key (not a UUID) just keeps the stored label
        return {}


def _facet_values(facets: dict[str, list[tuple[str, str, int]]],
                  filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    for name in ("council", "organisation"):
        titles = _localised_titles(value for value, _label, _count in facets.get(name, []))
        facets[name] = [(value, titles.get(value, label), count) for value, label, count in facets.get(name, [])]
    for name, rows in facets.items():
        selected = set(filters.get(name, []))
        values = []
        for value, stored_label, count in rows:
            if name == "type":
                label = kind_label(value)
            elif name == "status":
                label = _status_label(value)
            elif name == "language":
                label = _language_label(value)
            else:
                label = stored_label or value
            values.append(FacetValue(value=value, label=label, count=count, selected=value in selected))
        if name == "year":
            values.sort(key=lambda item: item.value, reverse=True)
        out[name] = values
    return out


def _current_status(entry: SearchEntry) -> str:
    status = getattr(entry, "current_status", None)
    if status is not None:
        return status
    if entry.status in database.DEADLINE_STATUSES and entry.date is not None:
        return "closed" if entry.date <= timezone.now() else "open"
    return entry.status


def _hit(entry: SearchEntry, parsed: ParsedQuery) -> Hit:
    excerpt, attachment = best_snippet(entry.text, parsed, language=entry.language)
    return Hit(
        attachment=attachment,
        date_kind=entry.date_kind or "published",
        other_language=_language_label(entry.language) if entry.language != _reader_language() else "",
        title=entry.title,
        url=entry.url,
        snippet=mark_safe(excerpt),  # noqa: S308 - escaped in best_snippet()
        kind=entry.kind,
        kind_label=kind_label(entry.kind),
        language=entry.language,
        date=entry.date,
        status=_status_label(_current_status(entry)) if entry.status else "",
        council_title=entry.council_title,
        organisation_title=entry.organisation_title,
    )
