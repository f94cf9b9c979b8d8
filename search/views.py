"""The public search page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .service import search_pages

MAX_QUERY_LENGTH = 200


def search_view(request):
    query = (request.GET.get("q") or "").strip()
    error = None
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Your search was shortened to %(count)s characters.") % {"count": MAX_QUERY_LENGTH}
        query = query[:MAX_QUERY_LENGTH]
    results = search_pages(user=request.user, query=query) if query else []
    paginator = Paginator(results, 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {"query": query, "results": page, "paginator": paginator, "error": error},
    )
