"""The convention's document: the call's template filled with the application's facts, wrapped
in the printed page and rendered to PDF with WeasyPrint. Always in French, the legal language
of the procedure. The PDF's SHA-256 is what both parties sign."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from evaluation import letters

from .amounts import cents_label
from .default_template import DEFAULT_TEMPLATE
from .placeholders import fill
from .schedule import Schedule

TRANCHE_LABELS = {
    "advance": "Avance à la signature",
    "intermediate": "Versement intermédiaire",
    "balance": "Solde",
}


@dataclass(frozen=True)
class Terms:
    """The figures one version states."""

    grant_cents: int
    advance_cents: int
    eligible_costs_cents: int
    duration_months: int


def project_lead(application) -> str:
    lead = letters.project_lead(application)
    return ", ".join(part for part in (lead["name"], lead["role"]) if part)


def _months_after(schedule: Schedule, day) -> int:
    start = schedule.start
    return (day.year - start.year) * 12 + day.month - start.month


def _table(head: list[str], rows: list[list[str]]) -> SafeString:
    header = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", header, body)


def placeholder_values(
    application, terms: Terms, schedule: Schedule, funding_terms, reference: str
) -> dict:
    organisation = application.organisation
    call = application.call
    total = terms.grant_cents + terms.advance_cents
    rate = (
        f"{(Decimal(total) * 100 / terms.eligible_costs_cents).quantize(Decimal('0.1'))} %"
        if terms.eligible_costs_cents
        else "—"
    ).replace(".", ",")
    milestones = format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} : {}</li>",
            (
                (
                    f"Jalon {m.number}" if m.kind == "progress" else "Fin du projet",
                    (
                        f"rapport d'étape à M+{_months_after(schedule, m.due_on)}"
                        if m.kind == "progress"
                        else f"rapport final à M+{_months_after(schedule, m.due_on)}"
                    ),
                )
                for m in schedule.milestones
            ),
        ),
    )
    payments = _table(
        ["Versement", "Condition", "Subvention", "Avance remboursable", "Total"],
        [
            [
                TRANCHE_LABELS[t.kind],
                (
                    "à l'entrée en vigueur"
                    if t.kind == "advance"
                    else f"après acceptation du rapport du jalon {t.milestone_number}"
                ),
                cents_label(t.grant_cents),
                cents_label(t.advance_cents),
                cents_label(t.grant_cents + t.advance_cents),
            ]
            for t in schedule.tranches
        ],
    )
    if schedule.instalments:
        repayment = _table(
            ["Échéance", "Date (après la fin du projet)", "Montant"],
            [
                [str(i.number), f"M+{_months_after(schedule, i.due_on)}", cents_label(i.cents)]
                for i in schedule.instalments
            ],
        )
        repayment = format_html(
            "<p>L'avance remboursable est remboursée en cas de succès du projet selon "
            "l'échéancier suivant :</p>{}",
            repayment,
        )
    else:
        repayment = mark_safe("<p>L'aide ne comporte pas d'avance remboursable.</p>")  # noqa: S308
    indicators = list(funding_terms.indicators.all()) if funding_terms.pk else []
    indicator_list = (
        format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ({}){}</li>",
                (
                    (
                        i.name,
                        i.unit,
                        f" — cible : {formats.number_format(i.target, use_l10n=True)}"
                        if i.target is not None
                        else "",
                    )
                    for i in indicators
                ),
            ),
        )
        if indicators
        else ""
    )
    return {
        "beneficiaire": organisation.legal_name,
        "siret": organisation.siret,
        "adresse": f"{organisation.address}, {organisation.postcode} {organisation.city}",
        "representant": project_lead(application),
        "projet": application.project_title,
        "reference": application.reference,
        "convention": reference,
        "appel": call.title,
        "operateur": call.operator.name if call.operator_id else "",
        "montant_total": cents_label(total),
        "montant_subvention": cents_label(terms.grant_cents),
        "montant_avance": cents_label(terms.advance_cents),
        "taux_aide": rate,
        "couts_eligibles": cents_label(terms.eligible_costs_cents),
        "duree_mois": str(terms.duration_months),
        "jalons": milestones,
        "echeancier": payments,
        "remboursement": repayment,
        "indicateurs": indicator_list,
        "obligations_rapports": format_html(
            "<p>Le bénéficiaire remet un rapport d'étape à chaque jalon et un rapport final "
            "{} mois après la fin du projet, dans son espace Ruche : valeurs des indicateurs, "
            "compte rendu et pièces justificatives.</p>",
            funding_terms.final_report_months,
        ),
    }


def render(
    application,
    terms: Terms,
    schedule: Schedule,
    funding_terms,
    *,
    reference: str,
    title: str,
    reason: str = "",
) -> tuple[str, bytes, str]:
    """(filled HTML, PDF bytes, the PDF's SHA-256)."""
    template = funding_terms.agreement_template or DEFAULT_TEMPLATE
    body = fill(
        template, placeholder_values(application, terms, schedule, funding_terms, reference)
    )
    with translation.override("fr"):
        page = render_to_string(
            "funding/convention_pdf.html",
            {
                "title": title,
                "reference": reference,
                "reason": reason,
                "body": mark_safe(body),  # noqa: S308 - filled from staff's rich text, escaped values
                "application": application,
                "operator": application.call.operator if application.call.operator_id else None,
                "footer": _("Document généré par Ruche"),
            },
        )
    pdf = render_pdf(page)
    return body, pdf, hashlib.sha256(pdf).hexdigest()
