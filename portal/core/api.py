"""The public read-only API (Wagtail API v2): what an anonymous reader may see, whoever asks.

Two kinds of endpoint share the router:
- ``pages``: Wagtail's page endpoint over live public pages;
- open data endpoints (hearings, responses, position papers, councils, meetings), registered by their
  apps in ``AppConfig.ready()`` as subclasses of :class:`OpenDataViewSet`. Each builds its items
  itself from what the public page shows (so a field added to a model never reaches the API by
  accident) and narrows its rows through the visibility service as an anonymous reader.

Every URL in a response (``detail_url``, ``html_url``, attachments) is made from one base, the
configured ``WAGTAILAPI_BASE_URL`` (or the request's site when unset), so the hosts always agree.

Documents and images endpoints are deliberately not exposed: documents of private spaces and
images (which have no view restrictions at all) must never be listed publicly.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from rest_framework.fields import Field
from rest_framework.response import Response
from wagtail.api.utils import get_full_url
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.models import Page

from portal.access.visibility import filter_viewable, viewable_pages


def anonymous() -> AnonymousUser:
    return AnonymousUser()


def page_path(page: Page, request: Any) -> str | None:
    """The page's path on its site (never a full URL: the host is added from the one API base)."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else None


def absolute(request: Any, path: str | None) -> str | None:
    if not path:
        return None
    return get_full_url(request, path)


class SameHostHtmlUrlField(Field):
    """``html_url`` from the same base as ``detail_url`` (Wagtail's own takes the site's host, which
    in development is not the API's)."""

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, page: Page) -> str | None:
        request = self.context["request"]
        return absolute(request, page_path(page, request))


class PublicPageSerializer(PageSerializer):
    html_url = SameHostHtmlUrlField(read_only=True)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer

    def get_base_queryset(self):
        # The API is public: decide as for an anonymous reader even when a session is present,
        # so a logged-in member's browser never turns the API into a private channel.
        return viewable_pages(anonymous(), super().get_base_queryset())


def _absolutise(request: Any, value: Any) -> Any:
    """Every ``url``/``*_url`` value that is a path becomes a full URL on the API's base."""
    if isinstance(value, dict):
        return {key: (absolute(request, item) if (key == "url" or key.endswith("_url")) and isinstance(item, str)
                      and item.startswith("/") else _absolutise(request, item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_absolutise(request, item) for item in value]
    return value


class OpenDataViewSet(BaseAPIViewSet):
    """An open data endpoint. Subclasses set ``name`` and ``model`` and implement ``rows()`` (the
    public queryset, in a stable order), ``item()`` and optionally ``filter_rows()`` with the query
    parameters named in ``filters``."""

    # DRF resets ``name`` on every view class, so the endpoint's name lives here.
    endpoint_name = ""
    filters: frozenset[str] = frozenset()
    # Ids are primary keys: they never change, and the same id always means the same thing.
    ordering: tuple[str, ...] = ("pk",)

    @classmethod
    def _known(cls) -> frozenset[str]:
        return frozenset({"limit", "offset", "format", "_"}) | cls.filters

    def check_query_parameters(self, queryset: Any) -> None:
        unknown = set(self.request.GET.keys()) - self._known()
        if unknown:
            raise BadRequestError(
                _("Unknown query parameter: %(names)s. Known: %(known)s.")
                % {"names": ", ".join(sorted(unknown)), "known": ", ".join(sorted(self._known()))}
            )

    def rows(self) -> Any:
        raise NotImplementedError

    def visible(self, queryset: Any) -> Any:
        """The rows an anonymous reader may see, asked of the visibility service."""
        return filter_viewable(anonymous(), queryset)

    def filter_rows(self, queryset: Any, params: Any) -> Any:
        return queryset

    def item(self, obj: Any, request: Any) -> dict[str, Any]:
        raise NotImplementedError

    def html_path(self, obj: Any, request: Any) -> str | None:
        if isinstance(obj, Page):
            return page_path(obj, request)
        return obj.get_absolute_url() or None

    def get_queryset(self) -> Any:
        return self.rows().order_by(*self.ordering)

    def serialise(self, obj: Any) -> dict[str, Any]:
        request = self.request
        namespace = f"{request.wagtailapi_router.url_namespace}:{self.endpoint_name}"
        detail = self.get_object_detail_urlpath(self.model, obj.pk, namespace=namespace)
        data = {
            "id": obj.pk,
            "meta": {"type": self.endpoint_name, "detail_url": absolute(request, detail),
                     "html_url": absolute(request, self.html_path(obj, request))},
            **self.item(obj, request),
        }
        return _absolutise(request, data)

    def listing_view(self, request: Any) -> Response:
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_rows(queryset, request.GET)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([self.serialise(obj) for obj in page])

    def detail_view(self, request: Any, pk: Any) -> Response:
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404(_("Not found."))
        return Response(self.serialise(getattr(obj, "specific", obj)))


# --- shared filters ------------------------------------------------------------------------------------------


def date_param(params: Any, name: str) -> datetime.date | None:
    """A ``YYYY-MM-DD`` query parameter; anything else is a clear 400, never a silent empty list."""
    raw = params.get(name)
    if not raw:
        return None
    value = parse_date(raw) if len(raw) == 10 else None
    if value is None:
        raise BadRequestError(_("%(name)s must be a date written as YYYY-MM-DD.") % {"name": name})
    return value


def int_param(params: Any, name: str) -> int | None:
    raw = params.get(name)
    if not raw:
        return None
    if not raw.isdigit():
        raise BadRequestError(_("%(name)s must be the id (a number) of a page.") % {"name": name})
    return int(raw)


def choice_param(params: Any, name: str, choices: list[str]) -> str | None:
    raw = params.get(name)
    if not raw:
        return None
    if raw not in choices:
        raise BadRequestError(
            _("%(name)s must be one of: %(choices)s.") % {"name": name, "choices": ", ".join(choices)})
    return raw


def translation_key_of(model: type[Page], pk: int | None) -> Any:
    """The translation key of a public page of ``model`` (so a filter by id matches every language
    version); a bad id is a 400."""
    if pk is None:
        return None
    page = viewable_pages(anonymous(), model.objects.filter(pk=pk)).first()
    if page is None:
        raise BadRequestError(_("There is no public %(kind)s with id %(id)s.")
                              % {"kind": model._meta.verbose_name, "id": pk})
    return page.translation_key


def date_range_q(params: Any, field: str) -> dict[str, Any]:
    """``from`` and ``to`` (inclusive, dates in Oslo time) on a date-time field."""
    lookups: dict[str, Any] = {}
    start, end = date_param(params, "from"), date_param(params, "to")
    if start and end and end < start:
        raise BadRequestError(_("to must not be before from."))
    if start:
        lookups[f"{field}__date__gte"] = start
    if end:
        lookups[f"{field}__date__lte"] = end
    return lookups


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
