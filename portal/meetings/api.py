"""Open data endpoint of council meetings: time, place, status, the agenda and the published minutes.
A confidential item is only its case number and the placeholder with its legal basis, exactly as on
the public page: its title, description and minutes text never enter the API."""

from __future__ import annotations

from typing import Any

from portal.core.api import OpenDataViewSet, anonymous, choice_param, date_range_q, int_param, translation_key_of
from portal.councils.models import CouncilPage

from . import selectors
from .feeds import exempt_label
from .models import MeetingPage


def _item(row: Any) -> dict[str, Any]:
    item = row.item
    if row.hidden:
        return {"case_number": item.case_number, "confidential": True, "legal_basis": item.legal_basis_label,
                "title": exempt_label(item)}
    data: dict[str, Any] = {"case_number": item.case_number, "confidential": False, "title": item.title,
                            "description": item.description}
    if row.entry is not None:
        data["minutes"] = {"discussion": row.entry.discussion, "conclusion": row.entry.conclusion}
    return data


class MeetingsAPIViewSet(OpenDataViewSet):
    endpoint_name = "meetings"
    model = MeetingPage
    filters = frozenset({"council", "status", "from", "to", "locale"})
    ordering = ("-start", "pk")

    def rows(self) -> Any:
        return selectors.public_meetings(anonymous())

    def filter_rows(self, queryset: Any, params: Any) -> Any:
        council_key = translation_key_of(CouncilPage, int_param(params, "council"))
        if council_key is not None:
            councils = CouncilPage.objects.filter(translation_key=council_key)
            queryset = queryset.filter(selectors._council_paths(councils))
        status = choice_param(params, "status", list(MeetingPage.Status.values))
        if status:
            queryset = queryset.filter(status=status)
        if params.get("locale"):
            queryset = queryset.filter(locale__language_code=params["locale"])
        return queryset.filter(**date_range_q(params, "start"))

    def item(self, meeting: MeetingPage, request: Any) -> dict[str, Any]:
        council = meeting.get_parent().specific
        minutes = selectors.published_minutes_for(meeting=meeting)
        rows = selectors.item_views(meeting=meeting, user=anonymous(), minutes=minutes)
        return {
            "title": meeting.title,
            "locale": meeting.locale.language_code,
            "council": {"id": council.pk, "title": council.title, "detail_url": f"/api/v2/councils/{council.pk}/"},
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat() if meeting.end else None,
            "place": meeting.place,
            "status": meeting.status,
            "agenda": [_item(row) for row in rows],
            "minutes": {
                "published_at": minutes.published_at.isoformat() if minutes.published_at else None,
                "corrected_at": minutes.corrected_at.isoformat() if minutes.corrected_at else None,
                "correction_note": minutes.correction_note,
                "pdf_url": f"/moter/mote/{meeting.pk}/referat.pdf",
            } if minutes is not None else None,
        }


def register(router: Any) -> None:
    router.register_endpoint("meetings", MeetingsAPIViewSet)
