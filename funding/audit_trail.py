"""Every change of a convention, its money and its reports goes into the application's
tamper-evident audit trail (``evaluation.audit.append``): the same keyed hash chain as the
workflow's transitions, verified by ``manage.py verify_audit_trail``.

An entry here changes no application state: its source and target are the application's
state as it is (like a stage override), and its code says what happened, with the details in
the comment. Staff read them in the application's history; the applicant does not (they
follow their convention's own page).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation import audit

LABELS = {
    "convention.generate": _("Convention préparée"),
    "convention.send": _("Convention envoyée pour signature"),
    "convention.withdraw": _("Convention reprise en préparation"),
    "convention.sign": _("Convention signée par le bénéficiaire"),
    "convention.countersign": _("Convention contresignée"),
    "convention.bring_into_force": _("Convention entrée en vigueur"),
    "convention.amend": _("Avenant préparé"),
    "convention.sign_amendment": _("Avenant signé par le bénéficiaire"),
    "convention.countersign_amendment": _("Avenant contresigné, en vigueur"),
    "convention.close": _("Convention clôturée"),
    "convention.terminate": _("Convention résiliée"),
    "payment.record": _("Versement enregistré"),
    "payment.reverse": _("Versement annulé"),
    "repayment.record": _("Remboursement de l'avance reçu"),
    "report.submit": _("Rapport transmis"),
    "report.accept": _("Rapport accepté"),
    "report.request_changes": _("Modifications du rapport demandées"),
    "progress.publish": _("Avancement de la fiche publique approuvé"),
}


def entry_label(code: str) -> str | None:
    label = LABELS.get(code)
    return str(label) if label is not None else None


def record(convention, code: str, by, comment: str = "", at: datetime | None = None):
    """Append ``code`` to the chain of the convention's application, in the current
    transaction (``audit.append`` locks that application's chain)."""
    if code not in LABELS:
        raise ValueError(f"Unknown audit code {code!r}")
    return audit.note(convention.application, code, by, at or timezone.now(), comment)


def history(convention):
    """The convention's entries in its application's chain, oldest first."""
    return (
        convention.application.transition_logs.filter(transition__in=list(LABELS))
        .select_related("actor")
        .order_by("seq")
    )
