"""How hearings and responses are searched. Hearings carry their status and deadline as facets.
Accepted responses are searchable: public once the hearing's policy releases them, before that
only for the hearing owners and the organisation's own members (never wider than can_view).

Imported from the app's ``ready()``, when models are loaded."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.access.audience import PUBLIC, group_token, organisation_token
from portal.access.roles import HEARING_OWNERS
from portal.security.text import html_to_text
from search.adapters import PortalPageAdapter
from search.models import SearchEntry
from search.registry import Adapter, Entry, register
from search.service import register_status_labels

from .models import HearingPage, PublicationPolicy, PublishedResponse


class HearingAdapter(PortalPageAdapter):
    kind_label = _("hearing")

    def complete(self, page: Page, entry: Entry) -> None:
        super().complete(page, entry)
        entry.status = page.status
        entry.date = page.deadline
        entry.date_kind = "deadline"
        # The hearing document itself (høringsnotat) is usually an attachment: its text is the
        # hearing's. Attachments of a public hearing are public (served with the page).
        entry.attachments = [
            *entry.attachments,
            *(attachment.document for attachment in page.attachments.select_related("document")),
        ]


class PublishedResponseAdapter(Adapter):
    kind = "hearingresponse"
    kind_label = _("hearing response")

    def entry(self, published: PublishedResponse) -> Entry | None:
        hearing = published.hearing
        if published.withdrawn_at is not None or not hearing.live:
            return None
        if published.is_released():
            audience = {PUBLIC}
        else:
            audience = {organisation_token(published.organisation)}
            owners = Group.objects.filter(name=HEARING_OWNERS).first()
            if owners is not None:
                audience.add(group_token(owners.pk))
        parts = [f"{p.section_number} {p.comment} {p.replacement}" for p in published.parts.all()]
        return Entry(
            title=f"{published.title} ({published.organisation.title})",
            text="\n".join([html_to_text(published.general_remarks), *parts]),
            url=published.get_absolute_url(),
            language=hearing.locale.language_code,
            audience=audience,
            date=published.accepted_at,
            organisation=published.organisation,
        )

    def related(self, published: Any) -> list[Any]:
        return []

    def due(self, model: Any, now: Any) -> list[Any]:
        """Responses whose hearing's deadline has released them while their entry is still
        private: nothing was saved when the deadline passed, so only the clock can tell."""
        private_ids = set(
            SearchEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(PublishedResponse), is_public=False
            ).values_list("object_id", flat=True)
        )
        released = PublishedResponse.objects.filter(
            withdrawn_at__isnull=True, hearing__deadline__lte=now
        ).exclude(hearing__publication_policy=PublicationPolicy.ON_ACCEPTANCE).select_related("hearing")
        return [published for published in released if str(published.pk) in private_ids]


def register_adapters() -> None:
    register(HearingPage, HearingAdapter())
    register(PublishedResponse, PublishedResponseAdapter())
    register_status_labels({status.value: status.label for status in HearingPage.Status})
