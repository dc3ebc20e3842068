"""The eligibility rules of a call, defined once for two uses.

- At submission, ``run_checks`` judges the application on its facts (organisation, budget,
  attachments, the instant); the results are stored for staff to decide.
- Before any account, ``self_check`` judges a visitor's answers on the call page: the same
  rules, minus those whose facts only an application has (SIRET, attachments), which are
  reported as checked at submission. Nothing of the answers is stored.

A rule returns ``None`` when a fact it needs is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import grouped_amount
from core.vocabulary import OrganisationSize

from ..validators import clean_siret
from .completeness import required_slots


@dataclass(frozen=True)
class Facts:
    """What the rules judge; ``None`` when not known."""

    at: datetime
    organisation_size: str | None = None
    amount_requested: Decimal | None = None
    total_cost: Decimal | None = None
    hosts_health_data: bool | None = None
    has_hds_certificate: bool | None = None
    # Known for an application only.
    siret_valid: bool | None = None
    siret: str = ""
    required_attachments_present: bool | None = None
    deadline_open: bool | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    judge: Callable[[object, Facts], bool | None]
    # Why a failed rule failed, in words an applicant understands.
    reason: Callable[[object, Facts], str]
    detail: Callable[[object, Facts], str] = lambda call, facts: ""


def _sizes(call) -> str:
    labels = dict(OrganisationSize.choices)
    return ", ".join(str(labels.get(s, s)) for s in call.eligible_organisation_sizes)


def _size_ok(call, facts: Facts) -> bool | None:
    if facts.organisation_size is None:
        return None
    return call.accepts_organisation_size(facts.organisation_size)


def _cap_ok(call, facts: Facts) -> bool | None:
    if facts.amount_requested is None:
        return None
    return facts.amount_requested <= call.max_amount_per_project


def _rate_ok(call, facts: Facts) -> bool | None:
    if facts.amount_requested is None or facts.total_cost is None:
        return None
    return facts.amount_requested <= facts.total_cost * call.aid_rate_percent / 100


def _hds_ok(call, facts: Facts) -> bool | None:
    if facts.hosts_health_data is None:
        return None
    if not facts.hosts_health_data:
        return True
    return facts.has_hds_certificate


def _deadline_ok(call, facts: Facts) -> bool | None:
    return facts.deadline_open if facts.deadline_open is not None else call.is_open(facts.at)


RULES = [
    Rule(
        "siret",
        gettext_lazy("SIRET valide"),
        lambda call, facts: facts.siret_valid,
        lambda call, facts: _("Le SIRET de l'organisation n'est pas valide."),
        lambda call, facts: facts.siret,
    ),
    Rule(
        "organisation_size",
        gettext_lazy("Catégorie d'organisation admise par l'appel"),
        _size_ok,
        lambda call, facts: (
            _("L'appel est réservé aux catégories suivantes : %(sizes)s.") % {"sizes": _sizes(call)}
        ),
        lambda call, facts: str(
            dict(OrganisationSize.choices).get(facts.organisation_size or "", "")
        ),
    ),
    Rule(
        "amount_cap",
        gettext_lazy("Montant demandé inférieur ou égal au plafond"),
        _cap_ok,
        lambda call, facts: (
            _("L'aide demandée dépasse le plafond de l'appel (%(cap)s).")
            % {"cap": grouped_amount(call.max_amount_per_project)}
        ),
        lambda call, facts: f"{facts.amount_requested} € / {call.max_amount_per_project} €",
    ),
    Rule(
        "aid_rate",
        gettext_lazy("Montant demandé dans la limite du taux d'aide"),
        _rate_ok,
        lambda call, facts: (
            _(
                "L'aide demandée dépasse %(rate)s %% du coût total du projet, le taux maximal "
                "de l'appel."
            )
            % {"rate": call.aid_rate_percent}
        ),
        lambda call, facts: (
            f"{facts.amount_requested} € / {call.aid_rate_percent} % × {facts.total_cost} €"
        ),
    ),
    Rule(
        "required_attachments",
        gettext_lazy("Pièces obligatoires présentes"),
        lambda call, facts: facts.required_attachments_present,
        lambda call, facts: _("Une pièce obligatoire manque au dossier."),
    ),
    Rule(
        "hds_certificate",
        gettext_lazy("Certificat HDS joint si des données de santé sont hébergées"),
        _hds_ok,
        lambda call, facts: _(
            "Un service qui héberge des données de santé doit recourir à un hébergeur "
            "certifié HDS et joindre son certificat."
        ),
    ),
    Rule(
        "deadline",
        gettext_lazy("Dépôt avant la clôture de l'appel"),
        _deadline_ok,
        lambda call, facts: _("L'appel n'est pas ouvert aux dépôts à cette date."),
        lambda call, facts: timezone.localtime(facts.at).strftime("%d/%m/%Y %H:%M:%S"),
    ),
]


def application_facts(application, at: datetime) -> Facts:
    organisation = application.organisation
    present = {a.slot for a in application.attachments.all()}
    try:
        clean_siret(organisation.siret)
        siret_ok = organisation.siret.startswith(organisation.siren)
    except Exception:  # noqa: BLE001 - any invalid SIRET fails the check, whatever the cause
        siret_ok = False
    return Facts(
        at=at,
        organisation_size=organisation.size,
        amount_requested=application.amount_requested or Decimal(0),
        total_cost=application.budget_totals()["total_cost"],
        hosts_health_data=application.section_answers("securite").get("hosts_health_data") is True,
        has_hds_certificate="hds_certificate" in present,
        siret_valid=siret_ok,
        siret=organisation.siret,
        required_attachments_present=all(
            slot.key in present for slot in required_slots(application)
        ),
        deadline_open=application.deadline_open(at),
    )


def run_checks(application, at: datetime) -> list[dict]:
    """The stored results of the checks at submission, one per rule."""
    call, facts = application.call, application_facts(application, at)
    return [
        {
            "code": rule.code,
            "label": str(rule.label),
            "passed": bool(rule.judge(call, facts)),
            "detail": str(rule.detail(call, facts)),
        }
        for rule in RULES
    ]


@dataclass(frozen=True)
class Verdict:
    label: str
    passed: bool | None  # None: checked at submission only
    reason: str = ""


def self_check(call, facts: Facts) -> list[Verdict]:
    """The visitor's verdict, rule by rule, with the reason of each failed one."""
    verdicts = []
    for rule in RULES:
        passed = rule.judge(call, facts)
        reason = rule.reason(call, facts) if passed is False else ""
        verdicts.append(Verdict(str(rule.label), passed, reason))
    return verdicts
