"""Accepted responses are searchable: public once the hearing's policy releases them, before that
only for the hearing owners and the organisation's own members (never wider than can_view)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register_adapters() -> None:
    from django.contrib.auth.models import Group

    from search.audience import PUBLIC, group_token, organisation_token
    from search.registry import Adapter, Entry, register
    from search.text import strip_html

    from .models import PublishedResponse

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
                from portal.access.roles import HEARING_OWNERS

                audience = {organisation_token(published.organisation)}
                owners = Group.objects.filter(name=HEARING_OWNERS).first()
                if owners is not None:
                    audience.add(group_token(owners.pk))
            parts = [f"{p.section_number} {p.comment} {p.replacement}" for p in published.parts.all()]
            return Entry(
                title=f"{published.title} ({published.organisation.title})",
                text="\n".join([strip_html(published.general_remarks), *parts]),
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
            from django.contrib.contenttypes.models import ContentType

            from search.models import SearchEntry

            from .models import PublicationPolicy

            private_ids = set(
                SearchEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(PublishedResponse), is_public=False
                ).values_list("object_id", flat=True)
            )
            released = PublishedResponse.objects.filter(
                withdrawn_at__isnull=True, hearing__deadline__lte=now
            ).exclude(hearing__publication_policy=PublicationPolicy.ON_ACCEPTANCE).select_related("hearing")
            return [published for published in released if str(published.pk) in private_ids]

    register(PublishedResponse, PublishedResponseAdapter())
