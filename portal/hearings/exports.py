"""The documents made from accepted hearing responses: one response as a PDF (public once the
response is), every response as one PDF and the originals as a ZIP (for the hearing owner). Only
accepted content goes in: drafts never, withdrawn responses not in the owner's bundles."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.core.documents import render_pdf
from portal.security.text import ascii_slug
from portal.security.uploads import safe_filename

from . import selectors
from .models import HearingPage, HearingSection, PublishedPart, PublishedResponse, ResponsePart

CHUNK = 1024 * 1024
# Called after each response is done, with (done, total).
Progress = Callable[[int, int], None]


def exported_responses(hearing: HearingPage) -> QuerySet[PublishedResponse]:
    """What the owner's bundles hold: accepted responses that have not been withdrawn."""
    return selectors.published_responses(hearing).filter(withdrawn_at__isnull=True)


def _sections(hearing: HearingPage) -> dict[str, HearingSection]:
    return {s.number.strip(): s for s in hearing.sections.all()}


def _entry(response: PublishedResponse, sections: dict[str, HearingSection]) -> dict[str, Any]:
    parts = [{"part": part, "section": sections.get(part.section_number.strip())} for part in response.parts.all()]
    return {"response": response, "parts": parts}


def _language(hearing: HearingPage) -> str:
    return hearing.locale.language_code


def response_pdf(response: PublishedResponse) -> bytes:
    hearing = response.hearing
    return render_pdf("pdf/response.html", {"hearing": hearing, "entry": _entry(response, _sections(hearing))},
                      title=f"{response.organisation.title}: {response.title}", language=_language(hearing))


def response_pdf_filename(response: PublishedResponse) -> str:
    return f"{_slug(response.hearing.title)}-{_slug(response.organisation.title)}.pdf"


def all_responses_pdf(hearing: HearingPage, out: BinaryIO, *, progress: Progress | None = None) -> None:
    """One tagged PDF of every accepted response. Progress counts the responses gathered; the layout
    of the whole document follows in one step, since a tagged PDF's structure tree spans it."""
    responses = list(exported_responses(hearing))
    sections = _sections(hearing)
    entries = []
    for done, response in enumerate(responses, start=1):
        entries.append(_entry(response, sections))
        if progress is not None:
            progress(done, len(responses))
    out.write(render_pdf("pdf/all_responses.html", {"hearing": hearing, "entries": entries},
                         title=hearing.title, language=_language(hearing)))


# --- spreadsheet ---------------------------------------------------------------------------------------


def _text_cell(sheet: Any, row: int, column: int, value: Any) -> None:
    """A cell that is text whatever it starts with: openpyxl would store "=..." as a formula, so the
    type is set after the value, and characters XML cannot carry are dropped."""
    cell = sheet.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"
    cell.number_format = "@"


def _write_sheet(sheet: Any, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    for column, title in enumerate(header, start=1):
        _text_cell(sheet, 1, column, title)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, int):
                sheet.cell(row=row_number, column=column, value=value)
            else:
                _text_cell(sheet, row_number, column, value)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def responses_xlsx(hearing: HearingPage, *, columns: list[str], rows: list[list[str]]) -> bytes:
    """The owner's spreadsheet: every accepted response's parts, one row each, as text cells (no
    formula a respondent wrote can run), and a second sheet with the synthesis per section."""
    book = Workbook()
    parts_sheet = book.active
    parts_sheet.title = _("Responses")[:31]
    _write_sheet(parts_sheet, columns, rows, [30, 30, 16, 20, 8, 28, 14, 60, 60, 16, 40])
    synthesis = selectors.synthesis(hearing=hearing)
    summary_rows = []
    for row in synthesis["rows"]:
        decided = Counter(shown.part.disposition for shown in row.parts
                          if shown.part.kind == ResponsePart.Kind.AMENDMENT)
        organisations = sorted({shown.part.response.organisation.title for shown in row.parts})
        summary_rows.append([
            row.number, row.section.heading if row.section else "", row.comments, row.amendments,
            decided.get(PublishedPart.Disposition.ADOPTED, 0), decided.get(PublishedPart.Disposition.PARTLY, 0),
            decided.get(PublishedPart.Disposition.NOT_ADOPTED, 0), decided.get(PublishedPart.Disposition.NONE, 0),
            ", ".join(organisations),
        ])
    summary_sheet = book.create_sheet(_("Synthesis per section")[:31])
    _write_sheet(summary_sheet, [
        str(pgettext("hearing text", "section")), _("section heading"), _("comments"), _("amendments"),
        _("adopted"), _("partly adopted"), _("not adopted"), _("not decided"), _("organisations"),
    ], summary_rows, [8, 32, 12, 14, 12, 14, 14, 14, 60])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def responses_with_originals(hearing: HearingPage) -> QuerySet[PublishedResponse]:
    return exported_responses(hearing).exclude(original="")


def originals_zip(hearing: HearingPage, out: BinaryIO, *, progress: Progress | None = None) -> None:
    """Each original under a name that says whose it is, numbered in the order of acceptance. The
    files are copied through in chunks: scanned letters are large, and hundreds of them must not
    sit in the worker's memory at once."""
    responses = list(responses_with_originals(hearing))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, response in enumerate(responses, start=1):
            stored = (response.original.name or "").rsplit("/", 1)[-1]
            name = f"{done:02d}-{_slug(response.organisation.title)}-{safe_filename(stored)}"
            with response.original.open("rb") as original, archive.open(name, "w") as entry:
                shutil.copyfileobj(original, entry, CHUNK)
            if progress is not None:
                progress(done, len(responses))


def bundle_filename(hearing: HearingPage, kind: str) -> str:
    suffix = {"pdf": "svar.pdf", "zip": "originaler.zip"}[kind]
    return f"{_slug(hearing.title)}-{suffix}"


def original_filename(response: PublishedResponse) -> str:
    stored = (response.original.name or "").rsplit("/", 1)[-1]
    return f"{_slug(response.organisation.title)}-{safe_filename(stored)}"


def bundle_stem(hearing: HearingPage) -> str:
    """The start of an export's file name: the hearing's title in ASCII (æ ø å transliterated)."""
    return _slug(hearing.title)


def _slug(text: str) -> str:
    return ascii_slug(text)[:60] or "horing"

