"""The search page: thin; everything is decided in search.service."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .backends.database import FACET_FIELDS
from .service import MAX_QUERY_LENGTH, search

FACET_TITLES = {
    "type": lambda: _("Type"),
    "council": lambda: _("Council"),
    "organisation": lambda: _("Organisation"),
    "year": lambda: _("Year"),
    "status": lambda: _("Status"),
    "language": lambda: _("Language"),
}


def _notice_text(code: str) -> str:
    return {
        "empty": _("Type one or more words to search for."),
        "no_words": _("Your search contained no words we can search for. Try letters or numbers."),
        "stop_words": _("Your search only contained very common words. Add a more specific word."),
        "shortened": _("Your search was shortened to %(count)s characters.") % {"count": MAX_QUERY_LENGTH},
        "bad_filters": _("Some filters were not recognised and were ignored."),
        "page_out_of_range": _("That page of results does not exist; showing the nearest one."),
        "operators_ignored": _(
            "Quotation marks and * are not search operators here: we searched for the words themselves."
        ),
    }.get(code, "")


def search_view(request):
    query = request.GET.get("q") or ""
    filters = {name: request.GET.getlist(name) for name in FACET_FIELDS}
    results = search(
        user=request.user, query=query, filters=filters, sort=request.GET.get("sort", "relevance"),
        page=request.GET.get("page", 1),
    )
    submitted = "q" in request.GET
    notices = [
        _notice_text(code) for code in results.notices
        if code != "empty" or submitted
    ]

    def link(**changes) -> str:
        params: list[tuple[str, str]] = [("q", results.query)]
        current = {name: list(values) for name, values in results.filters.items()}
        toggle = changes.pop("toggle", None)
        if toggle:
            name, value = toggle
            values = current.setdefault(name, [])
            if value in values:
                values.remove(value)
            else:
                values.append(value)
        for name in FACET_FIELDS:
            params.extend((name, value) for value in current.get(name, []))
        sort = changes.get("sort", results.sort)
        if sort != "relevance":
            params.append(("sort", sort))
        if changes.get("page", 1) != 1:
            params.append(("page", str(changes["page"])))
        return "?" + urlencode(params)

    facets = [
        {
            "name": name,
            "title": FACET_TITLES[name](),
            "values": [
                {"value": value, "link": link(toggle=(name, value.value))} for value in values
            ],
        }
        for name, values in results.facets.items()
        if values
    ]
    context = {
        "query": results.query,
        "results": results,
        "notices": notices,
        "facets": facets,
        "has_filters": any(results.filters.values()),
        "clear_filters_link": "?" + urlencode({"q": results.query}),
        "sort_links": {"relevance": link(sort="relevance"), "date": link(sort="date")},
        "previous_link": link(page=results.page - 1) if results.has_previous else "",
        "next_link": link(page=results.page + 1) if results.has_next else "",
        "max_length": MAX_QUERY_LENGTH,
        # "Over 1 000 results", grouped the reader's way (a space in Norwegian, a comma in English).
        "capped_count": number_format(results.total, force_grouping=True) if results.total_capped else "",
        "suggestion_link": "?" + urlencode({"q": results.suggestion}) if results.suggestion else "",
    }
    return render(request, "search/search.html", context)
