"""Automatic eligibility checks run at submission; results are stored for staff to decide."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..validators import clean_siret
from .completeness import required_slots


def _check(code: str, label: str, passed: bool, detail: str = "") -> dict:
    return {"code": code, "label": str(label), "passed": passed, "detail": str(detail)}


def run_checks(application, at: datetime) -> list[dict]:
    call = application.call
    organisation = application.organisation
    totals = application.budget_totals()
    requested = application.amount_requested or 0
    present = {a.slot for a in application.attachments.all()}
    hosts_health_data = application.section_answers("securite").get("hosts_health_data") is True

    try:
        clean_siret(organisation.siret)
        siret_ok = organisation.siret.startswith(organisation.siren)
    except Exception:  # noqa: BLE001 - any invalid SIRET fails the check, whatever the cause
        siret_ok = False

    return [
        _check("siret", _("SIRET valide"), siret_ok, organisation.siret),
        _check(
            "organisation_size",
            _("Catégorie d'organisation admise par l'appel"),
            call.accepts_organisation_size(organisation.size),
            organisation.get_size_display(),
        ),
        _check(
            "amount_cap",
            _("Montant demandé inférieur ou égal au plafond"),
            requested <= call.max_amount_per_project,
            f"{requested} € / {call.max_amount_per_project} €",
        ),
        _check(
            "aid_rate",
            _("Montant demandé dans la limite du taux d'aide"),
            requested <= totals["total_cost"] * call.aid_rate_percent / 100,
            f"{requested} € / {call.aid_rate_percent} % × {totals['total_cost']} €",
        ),
        _check(
            "required_attachments",
            _("Pièces obligatoires présentes"),
            all(slot.key in present for slot in required_slots(application)),
        ),
        _check(
            "hds_certificate",
            _("Certificat HDS joint si des données de santé sont hébergées"),
            not hosts_health_data or "hds_certificate" in present,
        ),
        _check(
            "deadline",
            _("Dépôt avant la clôture de l'appel"),
            application.deadline_open(at),
            timezone.localtime(at).strftime("%d/%m/%Y %H:%M:%S"),
        ),
    ]
