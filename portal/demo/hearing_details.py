"""Demo: what a reader of a hearing page expects besides the text (as on regjeringen.no): the
consultation document (høringsnotat) as a PDF attachment, the date the hearing was sent out, a
contact person, consulted bodies on every hearing (also the concluded one, which keeps its list),
and a member who follows the open hearing.

Idempotent: a hearing that already has its details (or its document) is left as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from portal.core.documents import simple_pdf
from portal.hearings.models import HearingAttachment, HearingFollower, HearingPage
from portal.organisations.models import OrganisationPage

from .builder import Demo
from .hearings import CONSULTED_OTHER, FFB, FSA, LKS, URB, sync_hearing_translations

# slug -> (days before the deadline it was sent out, contact, consulted organisations, document text)
DETAILS: dict[str, tuple[int, tuple[str, str, str], tuple[str, ...], str]] = {
    "strategi-for-brukermedvirkning-2027-2030": (
        90, ("Ingrid Solberg", "ingrid.solberg@etaten.example.no", "+47 22 00 10 10"), (FFB, FSA, LKS, URB),
        "Direktoratet sender med dette på høring et forslag til strategi for brukermedvirkning 2027–2030.\n\n"
        "Strategien beskriver hvordan brukerne og organisasjonene deres skal medvirke på individnivå, "
        "tjenestenivå og systemnivå, og hvordan brukerutvalgene skal arbeide mellom møtene.\n\n"
        "Høringsinstansene bes særlig vurdere punkt 2 om organisasjonenes rolle og punkt 4 om opplæring av "
        "brukerrepresentanter. Svar gis gjennom portalen innen høringsfristen.",
    ),
    "retningslinjer-for-godtgjoring": (
        75, ("Per Haugen", "per.haugen@etaten.example.no", "+47 22 00 10 20"), (FFB, LKS),
        "Direktoratet foreslår felles retningslinjer for godtgjøring av brukerrepresentanter i alle "
        "brukerutvalg.\n\nForslaget gir én sats for møtetid og forberedelse, og dekning av reiseutgifter "
        "etter statens regulativ.",
    ),
    "opplaeringsprogram-for-brukerutvalg": (
        80, ("Ingrid Solberg", "ingrid.solberg@etaten.example.no", "+47 22 00 10 10"), (FFB, FSA, URB),
        "Direktoratet foreslår et felles opplæringsprogram for medlemmer av brukerutvalgene, med digitale "
        "kurs og samlinger.\n\nProgrammet skal gjøre representantene trygge i rollen og gi kunnskap om "
        "etaten og tjenestene.",
    ),
}


def _document(demo: Demo, hearing: HearingPage, text: str) -> Any:
    """The consultation document as an accessible PDF (WeasyPrint), in the public root collection."""
    Document = get_document_model()
    title = f"Høringsnotat – {hearing.title}"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    document = Document(title=title, collection=Collection.get_first_root_node())
    document.file.save(f"horingsnotat-{hearing.slug}.pdf", ContentFile(simple_pdf(title, text)), save=False)
    document.save()
    demo.note(f"document {title}")
    return document


def _complete(demo: Demo, source: HearingPage, details: tuple, organisations: list[OrganisationPage]) -> None:
    if source.sent_out is not None:
        return  # written on an earlier run
    days, (name, email, phone), _keys, text = details
    source.sent_out = timezone.localtime(source.deadline).date() - datetime.timedelta(days=days)
    source.contact_name, source.contact_email, source.contact_phone = name, email, phone
    if not source.consulted_organisations.exists():
        source.consulted_organisations.set(organisations)
        if not source.consulted_other:
            source.consulted_other = CONSULTED_OTHER
    if not source.attachments.exists():
        document = _document(demo, source, text)
        source.attachments.set([HearingAttachment(document=document, title="Høringsnotat", sort_order=0)])
    source.save_revision().publish()
    # The translations get the details from the source, as an editor's sync would bring them (the
    # date, the contact, the consulted organisations and the document are the same in every
    # language; the contact's name and the other consulted bodies keep the source's words until
    # someone translates them), and none of them is out of date.
    sync_hearing_translations(source)
    demo.note(f"hearing details {source.slug}")


def load(demo: Demo) -> None:
    by_slug = {page.slug: page for page in OrganisationPage.objects.filter(locale__language_code="nb")}
    for slug, details in DETAILS.items():
        source = HearingPage.objects.filter(slug=slug, locale__language_code="nb").first()
        if source is None:
            continue
        with transaction.atomic():
            _complete(demo, source, details, [by_slug[key] for key in details[2] if key in by_slug])
    strategy = HearingPage.objects.filter(slug="strategi-for-brukermedvirkning-2027-2030").first()
    follower = demo.users.get("org_member")
    if strategy is not None and follower is not None:
        HearingFollower.objects.get_or_create(hearing_key=strategy.translation_key, user=follower)
