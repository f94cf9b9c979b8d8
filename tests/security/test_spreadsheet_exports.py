"""Issue #17, finding 10: the owner's exports must never hand a spreadsheet program a formula that a
respondent wrote. CSV cells follow OWASP's rule; the XLSX holds text cells only."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.hearings.helpers import FFB, URB, accept, make_hearing, make_response

pytestmark = pytest.mark.django_db

PAYLOADS = ["\t=HYPERLINK(\"http://x\")", "\r=cmd|' /C calc'!A0", "   =1+1", " +SUM(A1)", "  -2+3", "@SUM(A1)",
            "=HYPERLINK(\"http://y\")"]


def _hearing_with_payloads():
    hearing = make_hearing("formel-eksport")
    parts = [(str(1 + i % 2), "comment", payload, "") for i, payload in enumerate(PAYLOADS)]
    accept(make_response(hearing, FFB, slug="formel-ffb", parts=parts))
    accept(make_response(hearing, URB, slug="formel-urb", parts=[("2", "amendment", "Fordi.", "= 2+2 ny tekst")]))
    return hearing


def test_csv_cells_starting_with_tab_or_spaces_before_formula_are_neutralised(login):
    hearing = _hearing_with_payloads()
    body = login("horingseier").get(hearing.url + "svar/eksport/csv/").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body, newline=""), delimiter=";") for cell in row]
    for payload in PAYLOADS:
        assert "'" + payload in cells, f"{payload!r} was not neutralised"
        assert payload not in cells
    assert "'= 2+2 ny tekst" in cells
    assert "Fordi." in cells, "ordinary text is left as it is"


def test_xlsx_export_has_one_text_row_per_part_no_formulas_and_a_synthesis_sheet(login):
    hearing = _hearing_with_payloads()
    response = login("horingseier").get(hearing.url + "svar/eksport/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    responses, synthesis = book.worksheets
    rows = list(responses.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "organisasjon" and "avgjørelse" in header
    # One row per part, plus one per response for its general remarks.
    assert len(rows) == 1 + len(PAYLOADS) + 1 + 1 + 1
    for row in responses.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    comments = [row[7] for row in rows[1:]]
    for payload in PAYLOADS:
        assert payload in comments, "the text is kept exactly, as text"
    summary = list(synthesis.iter_rows(values_only=True))
    by_section = {row[0]: row for row in summary[1:]}
    assert by_section["1"][2] == 4 and by_section["2"][2] == 3 and by_section["2"][3] == 1
    assert by_section["2"][7] == 1, "the undecided amendment is counted"
    assert login("org-leder").get(hearing.url + "svar/eksport/xlsx/").status_code == 404
