"""The database backend: full-text match, audience filter, facets and ranking in one SQL query
family over SearchEntry (FTS5 on SQLite, tsvector on PostgreSQL; see migration 0002)."""

from __future__ import annotations

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
_PG_RANK = (
    "ts_rank(portal_search_searchentry.search_vector, CASE WHEN portal_search_searchentry.language = 'en' "
    "THEN to_tsquery('english'::regconfig, %s) ELSE to_tsquery('norwegian'::regconfig, %s) END)"
)


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


def ordered(entries: QuerySet[SearchEntry], parsed: ParsedQuery, sort: str) -> QuerySet[SearchEntry]:
    if sort == "date":
        return entries.order_by("-date", "-pk")
    if connection.vendor == "postgresql":
        expression = tsquery_expression(parsed)
        return entries.extra(  # noqa: S610
            select={"rank": _PG_RANK}, select_params=[expression, expression]
        ).order_by("-rank", "-date", "pk")
    # bm25() is lower for better matches; the title column weighs more than the body.
    return entries.extra(select={"rank": "bm25(portal_search_fts, 5.0, 1.0)"}).order_by(  # noqa: S610
        "rank", "-date", "pk"
    )


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
    sort: str, offset: int, limit: int,
) -> tuple[list[SearchEntry], int, dict[str, list[tuple[str, str, int]]]]:
    """One page of entries, the total and the facet counts, all over what the viewer may see."""
    entries = matching(apply_filters(visible_entries(tokens=tokens, unrestricted=unrestricted), filters), parsed)
    if connection.vendor == "postgresql":
        facets, total = _facet_counts_in_one_scan(entries)
    else:
        total = entries.count()
        facets = facet_counts(entries)
    page = list(ordered(entries, parsed, sort)[offset:offset + limit]) if total else []
    return page, total, facets
