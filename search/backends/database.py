"""The database backend: full-text match, audience filter, facets and ranking in one SQL query
family over SearchEntry (FTS5 on SQLite, tsvector on PostgreSQL; see migration 0002)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, Exists, F, Max, OuterRef, Q, QuerySet, Value, When
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
    "ts_rank_cd('{0.05, 0.1, 0.4, 1.0}'::float4[], portal_search_searchentry.search_vector, "
    "CASE WHEN portal_search_searchentry.language = 'en' "
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


def _boost_sql() -> tuple[str, list]:
    """A factor on the text rank: open hearings x1.25, minutes from the last half year x1.15,
    withdrawn content x0.5."""
    now = timezone.now()
    table = "portal_search_searchentry"
    return (
        f"(CASE WHEN {table}.status IN ('open', 'closed') AND {table}.date > %s THEN 1.25 "
        f"WHEN {table}.status = 'withdrawn' THEN 0.5 "
        f"WHEN {table}.kind LIKE %s AND {table}.date > %s THEN 1.15 ELSE 1.0 END)",
        [now, "%minutes%", now - datetime.timedelta(days=RECENT_DAYS)],
    )


def ordered(entries: QuerySet[SearchEntry], parsed: ParsedQuery, sort: str) -> QuerySet[SearchEntry]:
    if sort == "date":
        return entries.order_by("-date", "-pk")
    boost, boost_params = _boost_sql()
    if connection.vendor == "postgresql":
        expression = tsquery_expression(parsed)
        return entries.extra(  # noqa: S610
            select={"rank": f"{_PG_RANK} * {boost}"}, select_params=[expression, expression, *boost_params]
        ).order_by("-rank", "-date", "pk")
    # bm25() is negative, lower for better matches: multiplying by a boost above 1 moves it up.
    return entries.extra(  # noqa: S610
        select={"rank": f"{_SQLITE_RANK} * {boost}"}, select_params=boost_params
    ).order_by("rank", "-date", "pk")


def _facet_row(row: dict, field_name: str, label_key: str | None) -> tuple[str, str, int] | None:
    """(value, stored label, count), or None for an empty value (not offered as a filter)."""
    value = row[field_name]
    if value in (None, ""):
        return None
    return (str(value), (row.get(label_key) if label_key else "") or "", row["n"])


def _sorted_facets(out: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[tuple[str, str, int]]]:
    for values in out.values():
        values.sort(key=lambda item: (-item[2], item[1] or item[0]))
    return out


def facet_counts(entries: QuerySet[SearchEntry]) -> dict[str, list[tuple[str, str, int]]]:
    """(value, stored label, count) per facet, most frequent first; empty values left out."""
    if connection.vendor == "postgresql":
        return _facet_counts_in_one_scan(entries)[0]
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name, (field_name, label_field) in FACET_FIELDS.items():
        rows = entries.order_by().values(field_name)
        if label_field:
            rows = rows.annotate(n=Count("pk"), label=Max(label_field))
        else:
            rows = rows.annotate(n=Count("pk"))
        out[name] = [facet for row in rows if (facet := _facet_row(row, field_name, "label" if label_field else None))]
    return _sorted_facets(out)


def _facet_counts_in_one_scan(entries: QuerySet[SearchEntry]) -> tuple[dict[str, list[tuple[str, str, int]]], int]:
    """PostgreSQL: every facet and the total from ONE pass over the matches (GROUPING SETS), instead
    of one full-text match per facet: with tens of thousands of matches, matching is what costs."""
    fields = [field for field, _label in FACET_FIELDS.values()]
    labels = [label for _field, label in FACET_FIELDS.values() if label]
    inner_sql, params = entries.order_by().values(*fields, *labels).query.sql_with_params()
    columns = ", ".join(f'm."{field}"' for field in fields)
    groupings = ", ".join(f'GROUPING(m."{field}") AS "g_{field}"' for field in fields)
    maxima = ", ".join(f'MAX(m."{label}") AS "{label}"' for label in labels)
    sets = ", ".join(f'(m."{field}")' for field in fields)
    sql = (
        f"SELECT {columns}, {maxima}, COUNT(*) AS n, {groupings} FROM ({inner_sql}) AS m "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets}, ())"
    )
    out: dict[str, list[tuple[str, str, int]]] = {name: [] for name in FACET_FIELDS}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            grouped = [name for name, (field, _label) in FACET_FIELDS.items() if row[f"g_{field}"] == 0]
            if not grouped:  # the empty grouping set: every match once
                total = row["n"]
                continue
            name = grouped[0]
            field_name, label_field = FACET_FIELDS[name]
            facet = _facet_row(row, field_name, label_field)
            if facet:
                out[name].append(facet)
    return _sorted_facets(out), total


def search(
    *, parsed: ParsedQuery, tokens: Iterable[str], unrestricted: bool, filters: dict[str, list[str]],
    sort: str, offset: int, limit: int, language: str = "",
) -> tuple[list[SearchEntry], int, dict[str, list[tuple[str, str, int]]]]:
    """One page of entries, the total and the facet counts, all over what the viewer may see.
    With ``language`` (the reader's), translations of a page are one hit; a reader who filters by
    language chose the versions they want, so nothing is collapsed then."""
    entries = apply_filters(visible_entries(tokens=tokens, unrestricted=unrestricted), filters)
    if language and not filters.get("language"):
        entries = one_per_page(entries, tokens=tokens, unrestricted=unrestricted, language=language)
    entries = matching(entries, parsed)
    if connection.vendor == "postgresql":
        facets, total = _facet_counts_in_one_scan(entries)
    else:
        total = entries.count()
        facets = facet_counts(entries)
    page = list(ordered(entries, parsed, sort)[offset:offset + limit]) if total else []
    return page, total, facets
