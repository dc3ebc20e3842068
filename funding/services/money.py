"""Recording the money: payments against released tranches, their reversal, the advance's
repayments. The services check the rules people read (a tranche released, not paid twice);
the database's ledger refuses any total above the grant whatever the code path (see
``funding.models.money``): its refusal reaches people as the same kind of message."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit_trail
from ..amounts import cents_label, split
from ..emails import notify_beneficiary
from ..models import (
    Convention,
    ConventionStatus,
    Payment,
    Repayment,
    Tranche,
)
from .rules import FundingRefused, locked, require_staff

CS = ConventionStatus
OVER_GRANT = gettext_lazy("Ce versement dépasserait le montant accordé : rien n'a été enregistré.")


def is_released(tranche: Tranche) -> bool:
    """The advance at signature once in force; any other tranche once its report is accepted."""
    if tranche.kind == Tranche.Kind.ADVANCE:
        return True
    return tranche.milestone is not None and tranche.milestone.is_accepted


def paid_on_tranche(tranche: Tranche) -> int:
    return sum(p.amount_cents for p in tranche.payments.all())


def record_payment(
    convention: Convention,
    tranche: Tranche,
    by,
    *,
    cents: int,
    paid_on: date,
    reference: str,
    note: str = "",
    check_rules: bool = True,
) -> Payment:
    """Record a payment of ``cents`` on ``tranche``, split between grant and advance in the
    tranche's proportion. ``check_rules=False`` (tests only) leaves the database alone to
    judge the total."""
    require_staff(by, convention)
    if cents <= 0:
        raise FundingRefused([_("Le montant d'un versement est positif.")])
    if not reference.strip():
        raise FundingRefused([_("Indiquez la référence du virement.")])
    try:
        with transaction.atomic():
            convention = locked(convention)
            if check_rules:
                _check_payment(convention, tranche, cents)
            grant, advance = split(cents, tranche.grant_cents, tranche.advance_cents)
            payment = Payment.objects.create(
                convention=convention,
                tranche=tranche,
                grant_cents=grant,
                advance_cents=advance,
                paid_on=paid_on,
                reference=reference.strip()[:100],
                note=note[:500],
                recorded_by=by,
            )
            audit_trail.record(
                convention,
                "payment.record",
                by,
                f"{tranche.get_kind_display()} — {cents_label(cents)} — {reference}",
            )
            notify_beneficiary(
                convention, "payment", f"{cents_label(cents)}, {paid_on:%d/%m/%Y} ({reference})"
            )
    except IntegrityError as refused:
        raise FundingRefused([OVER_GRANT]) from refused
    return payment


def _check_payment(convention: Convention, tranche: Tranche, cents: int) -> None:
    if convention.status != CS.IN_FORCE:
        raise FundingRefused([_("Les versements suivent l'entrée en vigueur de la convention.")])
    tranche = Tranche.objects.select_related("milestone").get(pk=tranche.pk, convention=convention)
    if not is_released(tranche):
        raise FundingRefused([_("Ce versement attend l'acceptation du rapport de son jalon.")])
    left = tranche.planned_cents - paid_on_tranche(tranche)
    if cents > left:
        raise FundingRefused(
            [_("Il reste %(left)s à verser sur cette tranche.") % {"left": cents_label(left)}]
        )


def reverse_payment(payment: Payment, by, reason: str) -> Payment:
    """A mistaken payment is cancelled by a new row with the opposite amounts."""
    require_staff(by, payment.convention)
    reason = reason.strip()
    if not reason:
        raise FundingRefused([_("Motivez l'annulation.")])
    if payment.reverses_id:
        raise FundingRefused(
            [_("Une annulation ne s'annule pas : enregistrez un nouveau versement.")]
        )
    with transaction.atomic():
        convention = locked(payment.convention)
        if Payment.objects.filter(reverses=payment).exists():
            raise FundingRefused([_("Ce versement est déjà annulé : rien n'a été changé.")])
        reversal = Payment.objects.create(
            convention=convention,
            tranche=payment.tranche,
            grant_cents=-payment.grant_cents,
            advance_cents=-payment.advance_cents,
            paid_on=payment.paid_on,
            reference=payment.reference,
            note=reason[:500],
            reverses=payment,
            recorded_by=by,
        )
        audit_trail.record(convention, "payment.reverse", by, f"{payment.reference} — {reason}")
    return reversal


def record_repayment(
    convention: Convention, by, *, cents: int, received_on: date, reference: str
) -> Repayment:
    """A repayment of the advance: never more than what is outstanding (database-checked)."""
    require_staff(by, convention)
    if cents <= 0:
        raise FundingRefused([_("Le montant d'un remboursement est positif.")])
    try:
        with transaction.atomic():
            convention = locked(convention)
            if convention.advance_waived:
                raise FundingRefused([_("L'avance n'est pas à rembourser (échec constaté).")])
            repayment = Repayment.objects.create(
                convention=convention,
                cents=cents,
                received_on=received_on,
                reference=reference.strip()[:100],
                recorded_by=by,
            )
            audit_trail.record(
                convention, "repayment.record", by, f"{cents_label(cents)} — {reference}"
            )
    except IntegrityError as refused:
        raise FundingRefused(
            [_("Ce remboursement dépasserait l'avance versée : rien n'a été enregistré.")]
        ) from refused
    return repayment


def next_payable(convention: Convention) -> list[tuple[Tranche, int]]:
    """Released tranches with money left to pay, and how much."""
    tranches = convention.tranches.select_related("milestone").prefetch_related("payments")
    result = []
    for tranche in tranches:
        left = tranche.planned_cents - paid_on_tranche(tranche)
        if left > 0 and is_released(tranche):
            result.append((tranche, left))
    return result
