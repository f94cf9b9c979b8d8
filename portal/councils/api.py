"""Open data endpoint of councils, with their current composition as the public page shows it (names,
roles, the organisation each represents and the period; never contact details)."""

from __future__ import annotations

from typing import Any

from portal.access.visibility import viewable_pages
from portal.core.api import OpenDataViewSet, anonymous, choice_param

from . import selectors
from .models import CouncilPage


class CouncilsAPIViewSet(OpenDataViewSet):
    endpoint_name = "councils"
    model = CouncilPage
    filters = frozenset({"level", "locale"})
    ordering = ("title", "pk")

    def rows(self) -> Any:
        return viewable_pages(anonymous(), CouncilPage.objects.all())

    def filter_rows(self, queryset: Any, params: Any) -> Any:
        level = choice_param(params, "level", list(CouncilPage.Level.values))
        if level:
            queryset = queryset.filter(level=level)
        if params.get("locale"):
            queryset = queryset.filter(locale__language_code=params["locale"])
        return queryset

    def item(self, council: CouncilPage, request: Any) -> dict[str, Any]:
        profile = selectors.public_profile(council=council)
        parent = profile["parent"]
        return {
            "title": council.title,
            "locale": council.locale.language_code,
            "level": council.level,
            "region": council.region,
            "parent_council": {"id": parent.pk, "title": parent.title} if parent else None,
            "current_members": [
                {"name": m.user.get_full_name() or m.user.get_username(), "role": m.role,
                 "represents": {"id": m.localized_organisation.pk, "title": m.localized_organisation.title}
                 if m.localized_organisation else None,
                 "from": m.start.isoformat(), "to": m.end.isoformat() if m.end else None}
                for m in profile["current_members"]
            ],
            "meetings_url": f"/api/v2/meetings/?council={council.pk}",
        }


def register(router: Any) -> None:
    router.register_endpoint("councils", CouncilsAPIViewSet)
