"""The database backend: full-text match, audience filter, facets and ranking in one SQL query
family over SearchEntry (FTS5 on SQLite, tsvector on PostgreSQL; see migration 0002)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from portal.access.audience import PUBLIC

from ..models import SearchEntry, SearchEntryAudience
from ..text import ParsedQuery, fts5_expression, tsquery_expression

# Facet name → (entry field, label field or None).
FACET_FIELDS: dict[str, tuple[str, str | None]] = {
    "type": ("kind", None),
    "council": ("council_key", "council_title"),
    "organisation": ("organisation_key", "organisation_title"),
    "year": ("year", None),
    "status": ("current_status", None),
    "language": ("language", None),
}

_PG_MATCH = (
    "((portal_search_searchentry.language <> 'en' AND portal_search_searchentry.search_vector "
    "@@ to_tsquery('norwegian'::regconfig, %s)) OR (portal_search_searchentry.language = 'en' AND "
    "portal_search_searchentry.search_vector @@ to_tsquery('english'::regconfig, %s)))"
)
# Cover density with weights D (compound parts) 0.05, C unused, B (body) 0.4, A (title) 1.0, and
# normalisation 1 (divide by 1 + log of the document's length): a long document that answers the
# query is not buried by its length, nor does length alone lift it.
_PG_RANK = (
    "ts_rank_cd('{{0.05, 0.1, 0.4, 1.0}}'::float4[], {table}.{vector}, "
    "CASE WHEN {table}.language = 'en' "
    "THEN to_tsquery('english'::regconfig, %s) ELSE to_tsquery('norwegian'::regconfig, %s) END, 1)"
)
# bm25 is already length-normalised; column weights: title 5, body 1, compound parts 0.2 (a part
# finds the compound, below documents holding the word itself).
_SQLITE_RANK = "bm25(portal_search_fts, 5.0, 1.0, 0.2)"
# What the reader most likely wants now: an open hearing, recent minutes; withdrawn things last.
RECENT_DAYS = 180


# Statuses that follow the clock (a hearing is open until its deadline, the entry's date): derived
# at query time so an index written before the deadline does not keep saying "open".
DEADLINE_STATUSES = ("open", "closed")


def with_current_status(entries: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
    now = timezone.now()
    return entries.annotate(
        current_status=Case(
            When(status__in=DEADLINE_STATUSES, date__isnull=False, date__lte=now, then=Value("closed")),
            When(status__in=DEADLINE_STATUSES, date__isnull=False, date__gt=now, then=Value("open")),
            default=F("status"),
            output_field=CharField(),
        )
    )


def visible_entries(*, tokens: Iterable[str], unrestricted: bool) -> QuerySet[SearchEntry]:
    """Entries the viewer may see: public, or sharing an audience token with the viewer."""
    entries = with_current_status(SearchEntry.objects.all())
    if unrestricted:
        return entries
    private_tokens = sorted(set(tokens) - {PUBLIC})
    condition: Any = Q(is_public=True)
    if private_tokens:
        condition |= Exists(
            SearchEntryAudience.objects.filter(entry=OuterRef("pk"), token__in=private_tokens)
        )
    return entries.filter(condition)


def _visible_condition(tokens: Iterable[str], unrestricted: bool, outer: str = "pk") -> Q | None:
    if unrestricted:
        return None
    private_tokens = sorted(set(tokens) - {PUBLIC})
    if not private_tokens:
        return Q(is_public=True)
    return Q(is_public=True) | Q(
        Exists(SearchEntryAudience.objects.filter(entry=OuterRef(outer), token__in=private_tokens))
    )


def one_per_page(entries: QuerySet[SearchEntry], *, tokens: Iterable[str], unrestricted: bool,
                 language: str) -> QuerySet[SearchEntry]:
    """One entry per translation group: the reader's language when the viewer may see that
    version, else the source version, else the oldest visible one. Decided over what the viewer
    may see (never by a version they cannot), inside the query, so counts and facets count pages."""
    siblings = SearchEntry.objects.filter(group_key=OuterRef("group_key")).exclude(pk=OuterRef("pk"))
    visible = _visible_condition(tokens, unrestricted)
    if visible is not None:
        siblings = siblings.filter(visible)
    in_language = Exists(siblings.filter(language=language))
    preferred = Exists(siblings.filter(Q(is_source=True) | Q(pk__lt=OuterRef("pk"))))
    # An entry without a group (written before groups existed) is a group of its own.
    return entries.filter(
        Q(group_key="") | Q(language=language) | (~in_language & (Q(is_source=True) | ~preferred))
    )


def apply_filters(entries: QuerySet[SearchEntry], filters: dict[str, list[str]]) -> QuerySet[SearchEntry]:
    for name, values in filters.items():
        if values and name in FACET_FIELDS:
            entries = entries.filter(**{f"{FACET_FIELDS[name][0]}__in": values})
    return entries


def matching(entries: QuerySet[SearchEntry], parsed: ParsedQuery) -> QuerySet[SearchEntry]:
    """Narrow to entries matching the query. Every token is quoted by the expression builders and
    passed as a parameter: user syntax never reaches the full-text engine."""
    if connection.vendor == "postgresql":
        expression = tsquery_expression(parsed)
        return entries.extra(where=[_PG_MATCH], params=[expression, expression])  # noqa: S610
    return entries.extra(  # noqa: S610
        tables=["portal_search_fts"],
        where=["portal_search_fts.rowid = portal_search_searchentry.id", "portal_search_fts MATCH %s"],
        params=[fts5_expression(parsed)],
    )


def _boost_sql(table: str = "portal_search_searchentry", date: str = "date") -> tuple[str, list]:
    """A factor on the text rank: open hearings x1.25, minutes from the last half year x1.15,
    withdrawn content x0.5."""
    now = timezone.now()
    return (
        f"(CASE WHEN {table}.status IN ('open', 'closed') AND {table}.{date} > %s THEN 1.25 "
        f"WHEN {table}.status = 'withdrawn' THEN 0.5 "
        f"WHEN {table}.kind LIKE %s AND {table}.{date} > %s THEN 1.15 ELSE 1.0 END)",
        [now, "%minutes%", now - datetime.timedelta(days=RECENT_DAYS)],
    )


def _sorted_facets(out: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[tuple[str, str, int]]]:
    for values in out.values():
        values.sort(key=lambda item: (-item[2], item[1] or item[0]))
    return out


# Above this many visible matches a search is bounded: it works on the MATCH_CAP newest matches
# (newest indexed first) instead of every match, the page says "over 1 000 results", and ranking,
# facet counts and pages are about those. Below it everything is exact. Why: at 100 000 documents
# a common word matches half the corpus, and touching every match once (to count, facet or rank it)
# costs more than the whole latency budget on both databases (bench/README.md, "Search").
DEFAULT_MATCH_CAP = 1000


def match_cap() -> int:
    return int(str(settings.PORTAL_SEARCH.get("MATCH_CAP", DEFAULT_MATCH_CAP)))


@dataclass
class Found:
    entries: list[SearchEntry]
    # Visible matches, or the cap when ``capped``.
    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    # More than ``match_cap()`` visible matches: total, facets and ranking cover the newest cap.
    capped: bool = False


def _newest_first(entries: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
    """Newest indexed first, in the order the full-text index can hand matches out without
    sorting them: FTS5 walks its doclists backwards for ``rowid DESC``; on PostgreSQL the primary
    key index gives the order and LIMIT stops the scan."""
    if connection.vendor == "postgresql":
        return entries.order_by("-pk")
    return entries.extra(order_by=["-portal_search_fts.rowid"])  # noqa: S610


def _sqlite_rank_select() -> tuple[str, list]:
    boost, boost_params = _boost_sql()
    return f"{_SQLITE_RANK} * {boost}", boost_params


@contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL: no JIT compilation for the queries inside (a search's cost estimates ask for it,
    and compiling took longer, about 130 ms, than the queries it was for)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def has_match(entries: QuerySet[SearchEntry], parsed: ParsedQuery) -> bool:
    """Whether any of ``entries`` matches. PostgreSQL plans EXISTS ... LIMIT 1 for a word nothing
    holds as a walk over every row (sequentially or along the is_public index) testing each one,
    about 1 s at 100 000 documents; with bitmap scans only, the GIN index answers in ~45 ms."""
    found = matching(entries, parsed)
    if connection.vendor != "postgresql":
        return found.exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        try:
            return found.exists()
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


def _postgres_rows(entries: QuerySet[SearchEntry], fields: list[str], parsed: ParsedQuery, sort: str,
                   cap: int) -> list[dict]:
    """The newest ``cap + 1`` visible matches; their rank is computed over those rows only, in an
    outer query (inside, PostgreSQL would compute ts_rank_cd for every match before the LIMIT)."""
    inner = _newest_first(entries.extra(select={"vector": "portal_search_searchentry.search_vector"}))  # noqa: S610
    inner_sql, params = inner.values(*fields, "status", "vector")[:cap + 1].query.sql_with_params()
    columns = ", ".join(f'm."{name}"' for name in fields)
    sql = f"SELECT {columns} FROM ({inner_sql}) AS m"  # noqa: S608 - our own compiled SQL and names
    if sort != "date":
        expression = tsquery_expression(parsed)
        boost, boost_params = _boost_sql(table="m", date="date_key")
        rank = _PG_RANK.format(table="m", vector="vector")
        sql = f"SELECT {columns}, {rank} * {boost} AS rank FROM ({inner_sql}) AS m"  # noqa: S608
        params = (expression, expression, *boost_params, *params)  # the rank comes first in the text
    with without_jit(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _facets_of(rows: list[dict]) -> dict[str, list[tuple[str, str, int]]]:
    """(value, stored label, count) per facet over the fetched rows; empty values are not offered."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name, (field_name, label_field) in FACET_FIELDS.items():
        counts = Counter(map(itemgetter(field_name), rows))
        labels: dict[Any, str] = {}
        if label_field:
            for row in rows:
                label = row[label_field] or ""
                if label > labels.get(row[field_name], ""):
                    labels[row[field_name]] = label
        out[name] = [
            (str(value), labels.get(value, ""), count) for value, count in counts.items() if value not in (None, "")
        ]
    return _sorted_facets(out)


def _sort_key(sort: str, vendor: str):
    """Relevance: best rank first (bm25() is lower for better matches, ts_rank_cd() higher), then
    newest, then oldest entry; date: newest first, undated last. ``date_key`` is the raw column
    (an ISO string on SQLite, which sorts like the date, without parsing a thousand datetimes)."""
    sign = -1 if vendor == "postgresql" else 1
    if sort == "date":
        return (lambda row: (row["date_key"] is not None, row["date_key"] or "", row["pk"])), True
    return (lambda row: (sign * row["rank"], row["date_key"] is None, _Desc(row["date_key"]), row["pk"])), False


class _Desc:
    """Sorts its value in descending order inside an ascending sort key."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return self.value is not None and other.value is not None and self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


def search_bounded(
    *, parsed: ParsedQuery, tokens: Iterable[str], unrestricted: bool, filters: dict[str, list[str]],
    sort: str, offset: int, limit: int, language: str = "",
) -> Found:
    """One page of entries, the total and the facet counts, all over what the viewer may see,
    from ONE query that reads at most ``match_cap() + 1`` visible matches (their rank and facet
    columns), then one that loads the page's entries. The audience filter and the collapsing of
    translations are inside that query, so the cap counts only what the viewer may see.

    With ``language`` (the reader's), translations of a page are one hit; a reader who filters by
    language chose the versions they want, so nothing is collapsed then."""
    entries = apply_filters(visible_entries(tokens=tokens, unrestricted=unrestricted), filters)
    if language and not filters.get("language"):
        entries = one_per_page(entries, tokens=tokens, unrestricted=unrestricted, language=language)
    entries = matching(entries, parsed)
    cap = match_cap()
    entries = entries.extra(select={"date_key": "portal_search_searchentry.date"})  # noqa: S610
    fields = ["pk", "date_key", *(field for field, _label in FACET_FIELDS.values()),
              *(label for _field, label in FACET_FIELDS.values() if label)]
    if connection.vendor == "postgresql":
        rows = _postgres_rows(entries, fields, parsed, sort, cap)
    else:
        if sort != "date":
            # bm25() exists only in the query holding the MATCH, over the rows it returns.
            rank_sql, rank_params = _sqlite_rank_select()
            entries = entries.extra(select={"rank": rank_sql}, select_params=rank_params)  # noqa: S610
            fields.append("rank")
        rows = list(_newest_first(entries).values(*fields)[:cap + 1])
    capped = len(rows) > cap
    rows = rows[:cap]
    key, reverse = _sort_key(sort, connection.vendor)
    rows.sort(key=key, reverse=reverse)
    ids = [row["pk"] for row in rows[offset:offset + limit]]
    by_id = with_current_status(SearchEntry.objects.filter(pk__in=ids)).in_bulk() if ids else {}
    return Found([by_id[pk] for pk in ids if pk in by_id], len(rows), _facets_of(rows), capped)


def search(
    *, parsed: ParsedQuery, tokens: Iterable[str], unrestricted: bool, filters: dict[str, list[str]],
    sort: str, offset: int, limit: int, language: str = "",
) -> tuple[list[SearchEntry], int, dict[str, list[tuple[str, str, int]]]]:
    """:func:`search_bounded` as (entries, total, facets)."""
    found = search_bounded(parsed=parsed, tokens=tokens, unrestricted=unrestricted, filters=filters, sort=sort,
                           offset=offset, limit=limit, language=language)
    return found.entries, found.total, found.facets
