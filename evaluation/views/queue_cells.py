"""A queue row's cells, built in Python: fifty rows of seven columns through the template
language cost more than the rest of the page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import euros_label, paris_instant
from grants.models import Application


def _days(days: int, overdue: bool) -> SafeString:
    if overdue:
        late = _("En retard")
        return format_html(
            '{} <p class="fr-badge fr-badge--sm fr-badge--warning">{}</p>', days, late
        )
    return format_html("{}", days)


def _extension(application: Application) -> SafeString:
    if not application.extended_until:
        return SafeString("")
    return format_html(
        '<br><span class="fr-badge fr-badge--sm fr-badge--info" title="{} {}">{}</span>',
        _("Délai prolongé jusqu'au"),
        paris_instant(application.extended_until),
        _("Prolongation"),
    )


def _unread(application: Application) -> SafeString:
    count = getattr(application, "unread_messages", 0)
    if not count:
        return SafeString("")
    label = ngettext("%(n)d message non lu", "%(n)d messages non lus", count) % {"n": count}
    return format_html(
        '<br><a class="fr-badge fr-badge--sm fr-badge--new" href="{}?onglet=messages#messages">'
        "{}</a>",
        reverse("evaluation:application", args=[application.pk]),
        label,
    )


def _officer(application: Application) -> str:
    officer = application.lead_officer
    if officer is None:
        return "—"
    return officer.get_full_name() or officer.email


def queue_cells(
    application: Application, keys: list[str], days: int, overdue: bool
) -> list[SafeString]:
    """The ``<td>`` of each column in ``keys`` (evaluation.queries.COLUMNS), in order."""
    a = application
    cells = {
        "reference": lambda: format_html(
            '<td><a href="{}">{}</a>{}{}</td>',
            reverse("evaluation:application", args=[a.pk]),
            a.reference,
            _extension(a),
            _unread(a),
        ),
        "projet": lambda: format_html(
            '<td class="ruche-cell-wrap">{}</td>', a.project_title or "—"
        ),
        "organisation": lambda: format_html(
            '<td class="ruche-cell-wrap">{}</td>', a.organisation.legal_name
        ),
        "appel": lambda: format_html('<td class="ruche-cell-wrap">{}</td>', a.call.title),
        "montant": lambda: format_html("<td>{}</td>", euros_label(a.amount_requested)),
        "depot": lambda: format_html(
            "<td>{}</td>",
            dateformat.format(timezone.localtime(a.submitted_at), "d/m/Y H:i")
            if a.submitted_at
            else "—",
        ),
        "releve": lambda: format_html("<td>{}</td>", a.cutoff or "—"),
        "referent": lambda: format_html("<td>{}</td>", _officer(a)),
        "jours": lambda: format_html("<td>{}</td>", _days(days, overdue)),
    }
    return [cells[key]() for key in keys if key in cells]
