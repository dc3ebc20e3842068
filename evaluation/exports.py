"""The queue as a file for spreadsheets: CSV as French Excel reads it, and XLSX.

Titles and names are typed by applicants: a cell that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``…) is neutralised in both formats (CSV injection): the CSV through
Ruche's one writer (``core.spreadsheets``), the XLSX by typing every text cell as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import csv_text
from grants.models import Application

from .queries import days_in_state, eligibility_score


def headers() -> list[str]:
    return [
        _("Référence"),
        _("Projet"),
        _("Organisation"),
        _("Appel"),
        _("Montant demandé (€)"),
        _("Déposé le (heure de Paris)"),
        _("Jours dans l'état"),
        _("État"),
        # Two numbers rather than "5/7", which spreadsheets would read as a date.
        _("Contrôles d'éligibilité réussis"),
        _("Contrôles d'éligibilité au total"),
        _("Chargé de mission référent"),
        _("Relève"),
    ]


def _officer(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.email


def rows(applications: Iterable[Application], now: datetime | None = None) -> Iterable[list]:
    """One list of typed values per application, in the order of ``headers()``."""
    now = now or timezone.now()
    for application in applications:
        passed, total = eligibility_score(application)
        submitted = application.submitted_at
        yield [
            application.reference,
            application.project_title,
            application.organisation.legal_name,
            application.call.title,
            application.amount_requested,
            timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
            days_in_state(application, now),
            str(application.get_status_display()),
            passed,
            total,
            _officer(application.lead_officer),
            str(application.cutoff) if application.cutoff else "",
        ]


def _csv_cell(value) -> object:
    """Amounts and instants as French Excel reads them; text is neutralised by the writer."""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value


def to_csv(applications: Iterable[Application]) -> bytes:
    """UTF-8 with a byte order mark, ``;`` between cells, decimal commas: French Excel."""
    cells = ([_csv_cell(value) for value in row] for row in rows(applications))
    return csv_text(headers(), cells, delimiter=";").encode("utf-8-sig")


def to_xlsx(applications: Iterable[Application]) -> bytes:
    # openpyxl takes a tenth of a second to import: loaded when a spreadsheet is asked for.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Dossiers")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, row in enumerate(rows(applications), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=index, column=column)
            if isinstance(value, str):
                # Set as text explicitly: openpyxl turns a string starting with "=" into a formula.
                cell.value = value
                cell.data_type = "s"
            else:
                cell.value = value
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", (20, 40, 32, 40, 16, 18, 10, 24, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
