"""The county office's export of courses and who pays for them: XLSX (openpyxl), one row a course.
Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe (OWASP CSV
injection), since titles and notes are typed by people outside the county office."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import selectors

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _naive(value: Any) -> Any:
    # Spreadsheets have no time zones: local wall-clock time, as the course is announced.
    return timezone.localtime(value).replace(tzinfo=None)


def rows(*, council: Any) -> list[list[Any]]:
    header = [_("Course"), _("Module"), _("Starts"), _("Ends"), _("Place"), _("Arranged by"), _("Paid by"),
              _("Travel and lodging covered"), _("Cost (NOK)"), _("Note on costs"), _("Signed up"), _("Attended")]
    table: list[list[Any]] = [header]
    for course in selectors.describe(courses=list(selectors.courses(council=council).prefetch_related("enrolments"))):
        enrolments = list(course.enrolments.all())
        table.append([
            course.title, course.module,
            _naive(course.starts), _naive(course.ends),
            _("Online") if course.online and not course.place else course.place,
            ", ".join(course.arranger_names), course.get_payer_display(),
            _("yes") if course.travel_covered else _("no"),
            float(course.cost) if course.cost is not None else None, course.cost_note,
            len(enrolments), sum(1 for e in enrolments if e.attended),
        ])
    return [[safe_cell(value) for value in row] for row in table]


def costs(*, council: Any) -> tuple[bytes, str, str]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Courses")[:31]
    for row in rows(council=council):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = cell.font.copy(bold=True)
    for column in ("C", "D"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD.MM.YYYY HH:MM"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
