"""The documents made from accepted hearing responses: one response as a PDF (public once the
response is), every response as one PDF and the originals as a ZIP (for the hearing owner). Only
accepted content goes in: drafts never, withdrawn responses not in the owner's bundles."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.pdf import Block, render
from portal.security.text import ascii_slug
from portal.security.uploads import safe_filename

from . import selectors
from .models import HearingPage, HearingSection, PublishedResponse

CHUNK = 1024 * 1024
# Called after each response is done, with (done, total).
Progress = Callable[[int, int], None]

_BREAK = re.compile(r"</(p|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _plain_paragraphs(rich_text: str) -> str:
    """Rich text to plain text that keeps its paragraphs (a PDF needs the line breaks)."""
    text = _TAG.sub("", _BREAK.sub("\n", rich_text or ""))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def exported_responses(hearing: HearingPage) -> QuerySet[PublishedResponse]:
    """What the owner's bundles hold: accepted responses that have not been withdrawn."""
    return selectors.published_responses(hearing).filter(withdrawn_at__isnull=True)


def _response_blocks(response: PublishedResponse, sections: dict[str, HearingSection], *,
                     new_page: bool = False) -> list[Block]:
    accepted = timezone.localtime(response.accepted_at).strftime("%d.%m.%Y")
    blocks = [
        Block(response.organisation.title, size=16, bold=True, new_page=new_page),
        Block(response.title, size=13, bold=True, space_before=4),
        Block(_("Accepted %(date)s") % {"date": accepted}, size=9, space_before=4),
    ]
    if response.cosigners:
        blocks.append(Block(_("Co-signed by: %(names)s") % {"names": ", ".join(response.cosigner_list())}, size=9))
    if response.general_remarks:
        blocks.append(Block(_("General remarks"), size=13, bold=True, space_before=12))
        blocks.append(Block(_plain_paragraphs(response.general_remarks), space_before=4))
    for part in response.parts.all():
        section = sections.get(part.section_number)
        heading = f"{part.section_number} {section.heading if section else ''}".strip()
        blocks.append(Block(f"{heading} – {part.get_kind_display()}", size=13, bold=True, space_before=12))
        if part.comment:
            blocks.append(Block(part.comment, space_before=4))
        if part.replacement:
            blocks.append(Block(_("Proposed replacement text:"), bold=True, space_before=6))
            blocks.append(Block(part.replacement, space_before=2))
        if part.disposition:
            text = _("Outcome: %(disposition)s") % {"disposition": part.get_disposition_display()}
            if part.disposition_reason:
                text += f". {part.disposition_reason}"
            blocks.append(Block(text, size=9, space_before=4))
    return blocks


def _sections(hearing: HearingPage) -> dict[str, HearingSection]:
    return {s.number.strip(): s for s in hearing.sections.all()}


def response_pdf(response: PublishedResponse) -> bytes:
    hearing = response.hearing
    blocks = [Block(hearing.title, size=9)] + _response_blocks(response, _sections(hearing))
    return render(blocks, title=f"{response.organisation.title}: {response.title}")


def response_pdf_filename(response: PublishedResponse) -> str:
    return f"{_slug(response.hearing.title)}-{_slug(response.organisation.title)}.pdf"


def all_responses_pdf(hearing: HearingPage, out: BinaryIO, *, progress: Progress | None = None) -> None:
    responses = list(exported_responses(hearing))
    sections = _sections(hearing)
    blocks = [
        Block(hearing.title, size=16, bold=True),
        Block(_("Accepted responses: %(count)s") % {"count": len(responses)}, space_before=6),
        Block(_("Deadline: %(date)s") % {"date": timezone.localtime(hearing.deadline).strftime("%d.%m.%Y %H:%M")}),
    ]
    blocks += [Block(f"{n}. {r.organisation.title}: {r.title}", size=9) for n, r in enumerate(responses, start=1)]
    for done, response in enumerate(responses, start=1):
        blocks += _response_blocks(response, sections, new_page=True)
        if progress is not None:
            progress(done, len(responses))
    out.write(render(blocks, title=hearing.title))


def responses_with_originals(hearing: HearingPage) -> QuerySet[PublishedResponse]:
    return exported_responses(hearing).exclude(original="")


def originals_zip(hearing: HearingPage, out: BinaryIO, *, progress: Progress | None = None) -> None:
    """Each original under a name that says whose it is, numbered in the order of acceptance. The
    files are copied through in chunks: scanned letters are large, and hundreds of them must not
    sit in the worker's memory at once."""
    responses = list(responses_with_originals(hearing))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, response in enumerate(responses, start=1):
            stored = response.original.name.rsplit("/", 1)[-1]
            name = f"{done:02d}-{_slug(response.organisation.title)}-{safe_filename(stored)}"
            with response.original.open("rb") as original, archive.open(name, "w") as entry:
                shutil.copyfileobj(original, entry, CHUNK)
            if progress is not None:
                progress(done, len(responses))


def bundle_filename(hearing: HearingPage, kind: str) -> str:
    suffix = {"pdf": "svar.pdf", "zip": "originaler.zip"}[kind]
    return f"{_slug(hearing.title)}-{suffix}"


def original_filename(response: PublishedResponse) -> str:
    stored = response.original.name.rsplit("/", 1)[-1]
    return f"{_slug(response.organisation.title)}-{safe_filename(stored)}"


def _slug(text: str) -> str:
    return ascii_slug(text)[:60] or "horing"

