"""Open data endpoint of published position papers."""

from __future__ import annotations

from typing import Any

from portal.core.api import OpenDataViewSet, date_range_q, int_param, translation_key_of
from portal.core.selectors import localized_pages
from portal.organisations.models import OrganisationPage

from .models import PublishedPositionPaper


class PositionPapersAPIViewSet(OpenDataViewSet):
    endpoint_name = "position-papers"
    model = PublishedPositionPaper
    filters = frozenset({"organisation", "topic", "from", "to"})
    ordering = ("-published_at", "pk")

    def rows(self) -> Any:
        return (self.visible(PublishedPositionPaper.objects.filter(withdrawn_at__isnull=True))
                .select_related("organisation").prefetch_related("topics"))

    def filter_rows(self, queryset: Any, params: Any) -> Any:
        organisation = translation_key_of(OrganisationPage, int_param(params, "organisation"))
        if organisation is not None:
            queryset = queryset.filter(organisation__translation_key=organisation)
        if params.get("topic"):
            queryset = queryset.filter(topics__slug=params["topic"]).distinct()
        return queryset.filter(**date_range_q(params, "published_at"))

    def item(self, paper: PublishedPositionPaper, request: Any) -> dict[str, Any]:
        organisation = localized_pages([paper.organisation])[0]
        return {
            "title": paper.title,
            "language": paper.language,
            "organisation": {"id": organisation.pk, "title": organisation.title},
            "summary": paper.summary,
            "body_html": paper.body,
            "topics": [{"slug": tag.slug, "name": tag.name} for tag in paper.topic_list()],
            "published_at": paper.published_at.isoformat(),
            "updated_at": paper.updated_at.isoformat(),
        }


def register(router: Any) -> None:
    router.register_endpoint("position-papers", PositionPapersAPIViewSet)
