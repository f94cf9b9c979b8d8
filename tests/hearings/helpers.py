"""Building hearings and responses for the hearing tests and leak cases."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.hearings.models import HearingPage, HearingResponsePage, HearingSection, PublicationPolicy, ResponsePart
from portal.organisations.selectors import space_for
from tests.helpers import demo_page

FFB = "fellesforbundet-for-brukerorganisasjoner"
FSA = "foreningen-for-synshemmede-i-arbeidslivet"
URB = "ungdomsradet-for-brukermedvirkning"

SECTIONS = [
    ("1", "Formål", "Strategien skal sikre gode brukermøter."),
    ("2", "Organisasjonene", "Brukerrepresentanter kan rekrutteres fra organisasjoner eller åpne møter."),
]


def make_hearing(slug: str, *, days: float = 10, policy: str = PublicationPolicy.ON_ACCEPTANCE,
                 title: str | None = None, owner_unit: str = "Avdeling for brukerdialog",
                 deadline: datetime.datetime | None = None) -> HearingPage:
    index = demo_page("horinger")
    page = HearingPage(
        title=title or f"Testhøring {slug}", slug=slug, summary="Et utkast til uttalelse.", owner_unit=owner_unit,
        deadline=deadline or timezone.now() + datetime.timedelta(days=days), publication_policy=policy,
    )
    page.sections = [HearingSection(number=n, heading=h, text=t, sort_order=i) for i, (n, h, t) in enumerate(SECTIONS)]
    index.add_child(instance=page)
    page.save_revision().publish()
    return HearingPage.objects.get(pk=page.pk)


def make_response(hearing: HearingPage, org_slug: str = FFB, *, remarks: str = "<p>Generelle merknader.</p>",
                  parts: list[tuple[str, str, str, str]] | None = None, user: Any = None,
                  slug: str | None = None) -> HearingResponsePage:
    """A draft response in the organisation's space: live there (members read it), newest revision
    with the given text."""
    space = space_for(organisation=demo_page(org_slug))
    page = HearingResponsePage(title=f"Svar {hearing.slug}", slug=slug or f"svar-{hearing.slug}", hearing=hearing)
    space.add_child(instance=page)
    page.save_revision(user=user).publish(skip_permission_checks=True)
    page = HearingResponsePage.objects.get(pk=page.pk)
    page.general_remarks = remarks
    page.parts = [
        ResponsePart(section_number=n, kind=k, comment=c, replacement=r, sort_order=i)
        for i, (n, k, c, r) in enumerate(
            parts or [("1", "amendment", "Begrunnelse.", "Strategien skal sikre kvalitet.")]
        )
    ]
    page.save_revision(user=user)
    return page


def accept(response: HearingResponsePage) -> Any:
    """Publish the latest revision and make the public copy, as the workflow's approval does."""
    from portal.hearings.actions import publish_copy

    response.get_latest_revision().publish(skip_permission_checks=True)
    return publish_copy(response=response)


def attach_original(response: HearingResponsePage, *, words: str, name: str = "signert-svar.pdf",
                    content: bytes | None = None) -> HearingResponsePage:
    """Attach a signed letter (a real PDF holding ``words``) to the draft's newest revision, as the
    editor's upload does."""
    from django.core.files.base import ContentFile

    from portal.core.documents import simple_pdf

    draft = HearingResponsePage.objects.get(pk=response.pk).get_latest_revision_as_object()
    draft.original.save(name, ContentFile(content or simple_pdf(name, words)), save=False)
    draft.save_revision()
    return HearingResponsePage.objects.get(pk=response.pk)
