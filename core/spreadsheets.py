"""The one CSV writer of Ruche, safe to open in a spreadsheet.

Names, titles and summaries are typed by applicants and staff. A cell that starts with
« = », « + », « - », « @ » (or a tab or carriage return, which some spreadsheets skip) is
read by Excel and LibreOffice as a formula: ``=HYPERLINK(…)`` or ``=cmd|…`` run in the
reader's session (CSV injection). Every text cell that would be taken for one is written with
a leading apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` unchanged, or with a leading apostrophe if it could start a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def safe_cell(value: object) -> object:
    """Text neutralised; numbers (whose minus sign is no formula) and empty cells as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return value


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ";"
) -> str:
    """Header and rows as CSV text (CRLF line ends, RFC 4180), every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
