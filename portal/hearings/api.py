"""Open data endpoints of hearings: the hearings themselves and their published responses
(registered on the public API in HearingsConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from portal.access.visibility import can_view, viewable_pages
from portal.core.api import (
    OpenDataViewSet,
    anonymous,
    choice_param,
    date_range_q,
    int_param,
    translation_key_of,
)
from portal.core.selectors import localized_pages
from portal.organisations.models import OrganisationPage
from workflows import status as workflow_status

from .models import HearingOutcome, HearingPage, PublishedResponse, concluded_q

# The filter's values and the words for them come from the one vocabulary (workflows.status).
STATUSES = list(workflow_status.HEARING_PUBLIC_STATUSES)


def _organisation(page: Any) -> dict[str, Any]:
    return {"id": page.pk, "title": page.title}


class HearingsAPIViewSet(OpenDataViewSet):
    endpoint_name = "hearings"
    model = HearingPage
    filters = frozenset({"status", "organisation", "from", "to", "locale"})
    ordering = ("-deadline", "pk")

    def rows(self) -> Any:
        return viewable_pages(anonymous(), HearingPage.objects.all()).annotate(has_outcome=concluded_q())

    def filter_rows(self, queryset: Any, params: Any) -> Any:
        now = timezone.now()
        status = choice_param(params, "status", list(STATUSES))
        not_withdrawn = Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now)
        if status == HearingPage.Status.WITHDRAWN:
            queryset = queryset.filter(withdrawn_at__lte=now)
        elif status == HearingPage.Status.CONCLUDED:
            queryset = queryset.filter(not_withdrawn, has_outcome=True)
        elif status == HearingPage.Status.CLOSED:
            queryset = queryset.filter(not_withdrawn, has_outcome=False, deadline__lte=now)
        elif status == HearingPage.Status.OPEN:
            queryset = queryset.filter(not_withdrawn, has_outcome=False, deadline__gt=now)
        organisation = translation_key_of(OrganisationPage, int_param(params, "organisation"))
        if organisation is not None:
            queryset = queryset.filter(consulted_organisations__translation_key=organisation).distinct()
        if params.get("locale"):
            queryset = queryset.filter(locale__language_code=params["locale"])
        return queryset.filter(**date_range_q(params, "deadline"))

    def item(self, hearing: HearingPage, request: Any) -> dict[str, Any]:
        outcome = HearingOutcome.objects.filter(hearing_key=hearing.translation_key, published_at__isnull=False).first()
        attachments = [a for a in hearing.attachments.select_related("document").all()
                       if can_view(anonymous(), a.document)]
        consulted = viewable_pages(anonymous(), hearing.consulted_organisations.all()).order_by("title")
        return {
            "title": hearing.title,
            "locale": hearing.locale.language_code,
            "summary": hearing.summary,
            "responsible_unit": hearing.owner_unit,
            "deadline": hearing.deadline.isoformat(),
            "status": (status := hearing.status_at()),
            "status_label": workflow_status.hearing_label(status),
            "publication_policy": hearing.publication_policy,
            "sections": [
                {"number": s.number.strip(), "heading": s.heading, "text": s.text, "anchor": s.anchor,
                 "html_url": f"{hearing.url}#{s.anchor}" if hearing.url else None}
                for s in hearing.sections.all()
            ],
            "consulted_bodies": {
                "organisations": [_organisation(o) for o in consulted],
                "others": hearing.consulted_other_list(),
            },
            "attachments": [{"title": a.display_title, "url": a.document.url} for a in attachments],
            "responses_url": f"/api/v2/responses/?hearing={hearing.pk}",
            "outcome": {"summary": outcome.summary, "published_at": outcome.published_at.isoformat()}
            if outcome is not None and outcome.published_at is not None else None,
        }


class ResponsesAPIViewSet(OpenDataViewSet):
    """Published (accepted, released, not withdrawn) hearing responses, with every part and the
    owner's disposition of it."""

    endpoint_name = "responses"
    model = PublishedResponse
    filters = frozenset({"hearing", "organisation", "from", "to"})
    ordering = ("accepted_at", "pk")

    def rows(self) -> Any:
        return (self.visible(PublishedResponse.objects.filter(withdrawn_at__isnull=True))
                .select_related("hearing", "organisation").prefetch_related("parts"))

    def filter_rows(self, queryset: Any, params: Any) -> Any:
        hearing = translation_key_of(HearingPage, int_param(params, "hearing"))
        if hearing is not None:
            queryset = queryset.filter(hearing__translation_key=hearing)
        organisation = translation_key_of(OrganisationPage, int_param(params, "organisation"))
        if organisation is not None:
            queryset = queryset.filter(organisation__translation_key=organisation)
        return queryset.filter(**date_range_q(params, "accepted_at"))

    def item(self, response: PublishedResponse, request: Any) -> dict[str, Any]:
        organisation = localized_pages([response.organisation])[0]
        sections = {s.number.strip(): s for s in response.hearing.sections.all()}
        return {
            "title": response.title,
            "hearing": {"id": response.hearing.pk, "title": response.hearing.title,
                        "detail_url": f"/api/v2/hearings/{response.hearing.pk}/"},
            "organisation": _organisation(organisation),
            "accepted_at": response.accepted_at.isoformat(),
            "co_signed_by": response.cosigner_list(),
            "general_remarks_html": response.general_remarks,
            "parts": [
                {"section": part.section_number,
                 "section_heading": sections[part.section_number.strip()].heading
                 if part.section_number.strip() in sections else None,
                 "kind": part.kind, "comment": part.comment, "replacement": part.replacement,
                 "disposition": part.disposition or None, "disposition_reason": part.disposition_reason}
                for part in response.parts.all()
            ],
            "pdf_url": response.hearing.url + f"svar/{response.pk}/pdf/" if response.hearing.url else None,
        }


def register(router: Any) -> None:
    router.register_endpoint("hearings", HearingsAPIViewSet)
    router.register_endpoint("responses", ResponsesAPIViewSet)
