"""The convention's life: generated when the application is funded, sent, signed
(``signatures.py``), brought into force (its schedule dated from then), amended, closed or
terminated. Each service locks the convention, fires one transition of its state machine and
writes the change in the application's audit trail, in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.conditions import latest_committee_decision

from .. import audit_trail, document, schedule
from ..amounts import share, to_cents
from ..emails import notify_beneficiary
from ..models import (
    Convention,
    ConventionStatus,
    ConventionVersion,
    FundingTerms,
    Ledger,
    Milestone,
    RepaymentInstalment,
    Tranche,
)
from .rules import FundingRefused, fire, locked, require_staff, terms_of

CS = ConventionStatus


# -- Generation -------------------------------------------------------------------------


def award_terms(application, funding_terms: FundingTerms) -> document.Terms:
    """The award split into grant and repayable advance as the call's terms say."""
    decision = latest_committee_decision(application)
    amount = decision.amount_granted if decision and decision.amount_granted else None
    total = to_cents(amount if amount is not None else application.amount_requested or 0)
    grant = share(total, funding_terms.grant_percent)
    answers = application.frozen_answers
    months = int((answers.get("projet") or {}).get("duration_months") or 24)
    eligible = to_cents(application.budget_totals()["total_cost"]) or total
    return document.Terms(grant, total - grant, max(eligible, total), months)


def _plan(terms: document.Terms, funding_terms: FundingTerms, start: date) -> schedule.Schedule:
    return schedule.plan(
        grant_cents=terms.grant_cents,
        advance_cents=terms.advance_cents,
        start=start,
        duration_months=terms.duration_months,
        progress_reports=funding_terms.progress_reports,
        final_report_months=funding_terms.final_report_months,
        advance_payment_percent=funding_terms.advance_payment_percent,
        balance_percent=funding_terms.balance_percent,
        repayment_instalments=funding_terms.repayment_instalments,
        repayment_starts_months=funding_terms.repayment_starts_months,
    )


def _new_version(convention, terms, by, *, kind=ConventionVersion.Kind.INITIAL, reason=""):
    application = convention.application
    funding_terms = terms_of(application.call)
    number = (
        convention.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    title = "Convention d'aide" if kind == ConventionVersion.Kind.INITIAL else "Avenant"
    html, pdf, sha256 = document.render(
        application,
        terms,
        _plan(terms, funding_terms, convention.start_date or timezone.localdate()),
        funding_terms,
        reference=f"{convention.reference} v{number}",
        title=f"{title} n° {number}" if number > 1 else title,
        reason=reason,
    )
    version = ConventionVersion(
        convention=convention,
        number=number,
        kind=kind,
        reason=reason,
        grant_cents=terms.grant_cents,
        advance_cents=terms.advance_cents,
        eligible_costs_cents=terms.eligible_costs_cents,
        duration_months=terms.duration_months,
        html=html,
        sha256=sha256,
        created_by=by,
    )
    version.pdf.save(f"convention-{convention.pk}-v{number}.pdf", ContentFile(pdf), save=False)
    version.save()
    return version


def generate(application, by) -> Convention:
    """The convention's first draft, from the call's template and the committee's amount.
    Runs in the transaction of ``mark_funded`` (the ``application_funded`` hook)."""
    with transaction.atomic():
        existing = Convention.objects.filter(application=application).first()
        if existing is not None:
            return existing
        convention = Convention.objects.create(application=application, created_by=by)
        terms = award_terms(application, terms_of(application.call))
        version = _new_version(convention, terms, by)
        Ledger.objects.create(
            convention=convention, grant_cents=terms.grant_cents, advance_cents=terms.advance_cents
        )
        audit_trail.record(convention, "convention.generate", by, f"v{version.number}")
    return convention


def regenerate(convention: Convention, by) -> ConventionVersion:
    """A new draft version (the call's template or terms were edited): before sending only."""
    require_staff(by, convention)
    with transaction.atomic():
        convention = locked(convention)
        if convention.status != CS.DRAFT:
            raise FundingRefused([_("Seule une convention en préparation peut être régénérée.")])
        terms = award_terms(convention.application, terms_of(convention.application.call))
        version = _new_version(convention, terms, by)
        Ledger.objects.filter(convention=convention).update(
            grant_cents=terms.grant_cents, advance_cents=terms.advance_cents
        )
        audit_trail.record(convention, "convention.generate", by, f"v{version.number}")
    return version


def _simple(name: str, code: str):
    def service(convention: Convention, by, comment: str = "") -> Convention:
        require_staff(by, convention)
        with transaction.atomic():
            convention = locked(convention)
            fire(convention, name)
            audit_trail.record(convention, code, by, comment)
        return convention

    service.__name__ = name
    return service


def send(convention: Convention, by, comment: str = "") -> Convention:
    """The document goes to the beneficiary, who is told by email."""
    convention = _send(convention, by, comment)
    notify_beneficiary(convention, "sent")
    return convention


_send = _simple("send", "convention.send")
withdraw = _simple("withdraw", "convention.withdraw")


# -- In force, amendments, end ------------------------------------------------------------


def bring_into_force(convention: Convention, by, start: date | None = None) -> Convention:
    """Notified: the schedule's milestones, tranches and repayments are dated from ``start``."""
    require_staff(by, convention)
    with transaction.atomic():
        convention = locked(convention)
        fire(convention, "bring_into_force")
        convention.start_date = start or timezone.localdate()
        convention.in_force_at = timezone.now()
        version = convention.latest_version()
        version.effective_at = convention.in_force_at
        version.save(update_fields=["effective_at"])
        convention.save()
        terms = document.Terms(
            version.grant_cents,
            version.advance_cents,
            version.eligible_costs_cents,
            version.duration_months,
        )
        _create_schedule(
            convention, _plan(terms, terms_of(convention.application.call), convention.start_date)
        )
        audit_trail.record(
            convention, "convention.bring_into_force", by, str(convention.start_date)
        )
    return convention


def _create_schedule(convention: Convention, plan: schedule.Schedule) -> None:
    milestones = {}
    for m in plan.milestones:
        milestones[m.number] = Milestone.objects.create(
            convention=convention,
            number=m.number,
            kind=m.kind,
            title=(
                _("Rapport d'étape n° %(n)s") % {"n": m.number}
                if m.kind == "progress"
                else _("Rapport final")
            ),
            due_on=m.due_on,
        )
    for t in plan.tranches:
        Tranche.objects.create(
            convention=convention,
            order=t.order,
            kind=t.kind,
            milestone=milestones.get(t.milestone_number),
            grant_cents=t.grant_cents,
            advance_cents=t.advance_cents,
        )
    for i in plan.instalments:
        RepaymentInstalment.objects.create(
            convention=convention, number=i.number, due_on=i.due_on, cents=i.cents
        )


def amend(
    convention: Convention,
    by,
    *,
    grant_cents: int,
    advance_cents: int,
    duration_months: int,
    reason: str,
) -> ConventionVersion:
    """An amendment (avenant): a new version with its reason, to be signed by both parties;
    its terms apply once countersigned."""
    require_staff(by, convention)
    if not reason.strip():
        raise FundingRefused([_("Motivez l'avenant.")])
    with transaction.atomic():
        convention = locked(convention)
        fire(convention, "amend")
        pending = convention.latest_version()
        if pending is not None and pending.effective_at is None:
            raise FundingRefused([_("Un avenant attend déjà ses signatures.")])
        ledger = Ledger.objects.get(convention=convention)
        if grant_cents < ledger.paid_grant_cents or advance_cents < ledger.paid_advance_cents:
            raise FundingRefused([_("L'avenant ne peut pas descendre sous les montants versés.")])
        current = convention.effective_version()
        terms = document.Terms(
            grant_cents, advance_cents, current.eligible_costs_cents, duration_months
        )
        version = _new_version(
            convention, terms, by, kind=ConventionVersion.Kind.AMENDMENT, reason=reason.strip()
        )
        audit_trail.record(convention, "convention.amend", by, f"v{version.number} — {reason}")
        notify_beneficiary(convention, "sent")
    return version


def close(convention: Convention, by, note: str = "", advance_waived: bool = False) -> Convention:
    """The final report is accepted: the project is completed."""
    require_staff(by, convention)
    with transaction.atomic():
        convention = locked(convention)
        final = convention.milestones.filter(kind=Milestone.Kind.FINAL).first()
        if final is None or not final.is_accepted:
            raise FundingRefused([_("Le rapport final doit être accepté avant la clôture.")])
        fire(convention, "close")
        convention.ended_at = timezone.now()
        convention.end_reason = note
        convention.advance_waived = advance_waived
        convention.save()
        audit_trail.record(convention, "convention.close", by, note)
    return convention


def terminate(convention: Convention, by, reason: str) -> Convention:
    """Ended early, with a reason: the project is stopped."""
    require_staff(by, convention)
    if not reason.strip():
        raise FundingRefused([_("Motivez la résiliation.")])
    with transaction.atomic():
        convention = locked(convention)
        fire(convention, "terminate")
        convention.ended_at = timezone.now()
        convention.end_reason = reason.strip()
        convention.save()
        audit_trail.record(convention, "convention.terminate", by, reason)
    return convention
