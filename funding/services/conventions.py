"""The convention's life: generated when the application is funded, sent, signed by the
beneficiary, countersigned, brought into force (its schedule dated from then), amended,
closed or terminated. Each service locks the convention, fires one transition of its state
machine and writes the change in the application's audit trail, in one transaction."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from core.refusals import Refused
from core.roles import is_programme_staff
from evaluation.conditions import latest_committee_decision
from grants.models import Membership
from grants.uploads import FileKind, inspect_upload

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
    Signature,
    Tranche,
)

CS = ConventionStatus


class FundingRefused(Refused):
    """A rule of the follow-up refused the action; ``messages`` say why."""


def terms_of(call) -> FundingTerms:
    """The call's funding terms, or the defaults (unsaved) when staff set none."""
    return FundingTerms.objects.filter(call=call).first() or FundingTerms(call=call)


def locked(convention: Convention) -> Convention:
    return (
        Convention.objects.select_for_update(of=("self",))
        .select_related("application__call", "application__organisation")
        .get(pk=convention.pk)
    )


def _fire(convention: Convention, name: str) -> None:
    method = getattr(convention, name)
    if not can_proceed(method):
        raise FundingRefused([_("Cette action n'est pas possible dans l'état de la convention.")])
    method()
    convention.save()


def _require_staff(user, convention: Convention | None = None) -> None:
    """Programme staff, and of the convention's call when there is one: officers of other
    operators' calls may not act (``CallPage.is_run_by``)."""
    if not is_programme_staff(user) or (
        convention is not None and not convention.application.call.is_run_by(user)
    ):
        raise FundingRefused([_("Seuls les chargés de mission de l'appel peuvent faire cela.")])


def can_sign_for_beneficiary(user, application) -> bool:
    """The organisation's legal representative: its members with the « Responsable » role."""
    return Membership.objects.filter(
        organisation_id=application.organisation_id, user=user, role=Membership.Role.OWNER
    ).exists()


# -- Generation -------------------------------------------------------------------------


def award_terms(application, funding_terms: FundingTerms) -> document.Terms:
    """The award split into grant and repayable advance as the call's terms say."""
    decision = latest_committee_decision(application)
    amount = decision.amount_granted if decision and decision.amount_granted else None
    total = to_cents(amount if amount is not None else application.amount_requested or 0)
    grant = share(total, funding_terms.grant_percent)
    answers = (application.snapshot or {}).get("answers") or application.answers or {}
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
    _require_staff(by, convention)
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
        _require_staff(by, convention)
        with transaction.atomic():
            convention = locked(convention)
            _fire(convention, name)
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


# -- Signatures -------------------------------------------------------------------------


def _pending_version(convention: Convention) -> ConventionVersion:
    version = convention.latest_version()
    if version is None or version.effective_at is not None:
        raise FundingRefused([_("Aucun document n'attend de signature.")])
    return version


def _signature_step(convention: Convention, party: str, version) -> tuple[str | None, str]:
    """(the transition to fire or None for an amendment, the audit code)."""
    amendment = version.kind == ConventionVersion.Kind.AMENDMENT
    if party == Signature.Party.BENEFICIARY:
        if amendment and convention.status == CS.IN_FORCE:
            return None, "convention.sign_amendment"
        if convention.status != CS.SENT:
            raise FundingRefused([_("La convention n'attend pas la signature du bénéficiaire.")])
        return "sign", "convention.sign"
    if amendment and convention.status == CS.IN_FORCE:
        if version.signature_of(Signature.Party.BENEFICIARY) is None:
            raise FundingRefused([_("Le bénéficiaire doit signer l'avenant d'abord.")])
        return None, "convention.countersign_amendment"
    if convention.status != CS.SIGNED:
        raise FundingRefused([_("La convention doit être signée par le bénéficiaire d'abord.")])
    return "countersign", "convention.countersign"


def _check_signer(convention: Convention, party: str, user) -> None:
    if party == Signature.Party.BENEFICIARY:
        if not can_sign_for_beneficiary(user, convention.application):
            raise FundingRefused(
                [_("Seul le représentant légal de l'organisation (responsable) peut signer.")]
            )
    else:
        _require_staff(user, convention)


def _sign(convention, party, by, *, name, role, seen_sha256, method, confirmed_with="", file=None):
    if not (name or "").strip() or not (role or "").strip():
        raise FundingRefused([_("Indiquez le nom et la qualité du signataire.")])
    with transaction.atomic():
        convention = locked(convention)
        _check_signer(convention, party, by)
        version = _pending_version(convention)
        if seen_sha256 != version.sha256:
            raise FundingRefused(
                [
                    _(
                        "Le document a changé depuis que vous l'avez ouvert : "
                        "relisez-le avant de signer."
                    )
                ]
            )
        if version.signature_of(party) is not None:
            raise FundingRefused([_("Ce document est déjà signé pour cette partie.")])
        transition, code = _signature_step(convention, party, version)
        signature = Signature(
            version=version,
            party=party,
            method=method,
            signer=by,
            signer_name=name.strip()[:200],
            signer_role=role.strip()[:200],
            signed_at=timezone.now(),
            document_sha256=version.sha256,
            confirmed_with=confirmed_with,
        )
        if file is not None:
            content, original_name, digest = file
            signature.signed_file_name = original_name[:255]
            signature.signed_file_sha256 = digest
            signature.signed_file.save("signed.pdf", ContentFile(content), save=False)
        signature.save()
        if transition:
            _fire(convention, transition)
        if party == Signature.Party.OPERATOR and version.kind == ConventionVersion.Kind.AMENDMENT:
            _make_effective(convention, version)
        audit_trail.record(
            convention, code, by, f"v{version.number} — {signature.signer_name} ({method})"
        )
    return signature


def sign_online(convention, party, by, *, name, role, seen_sha256, confirmed_with) -> Signature:
    """Signed in Ruche: the view checked the password or MFA code (``confirmed_with``)."""
    return _sign(
        convention,
        party,
        by,
        name=name,
        role=role,
        seen_sha256=seen_sha256,
        method=Signature.Method.ONLINE,
        confirmed_with=confirmed_with,
    )


def sign_by_upload(convention, party, by, *, name, role, seen_sha256, upload) -> Signature:
    """The signed PDF uploaded: checked by its content like every attachment."""
    try:
        inspected = inspect_upload(upload, (FileKind.PDF,), settings.ATTACHMENT_MAX_BYTES)
    except ValidationError as refused:
        raise FundingRefused(refused.messages) from refused
    content = upload.read()
    return _sign(
        convention,
        party,
        by,
        name=name,
        role=role,
        seen_sha256=seen_sha256,
        method=Signature.Method.UPLOAD,
        file=(content, getattr(upload, "name", "signed.pdf"), inspected.sha256),
    )


# -- In force, amendments, end ------------------------------------------------------------


def bring_into_force(convention: Convention, by, start: date | None = None) -> Convention:
    """Notified: the schedule's milestones, tranches and repayments are dated from ``start``."""
    _require_staff(by, convention)
    with transaction.atomic():
        convention = locked(convention)
        _fire(convention, "bring_into_force")
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
    _require_staff(by, convention)
    if not reason.strip():
        raise FundingRefused([_("Motivez l'avenant.")])
    with transaction.atomic():
        convention = locked(convention)
        _fire(convention, "amend")
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


def _make_effective(convention: Convention, version: ConventionVersion) -> None:
    """Countersigned amendment: the ledger's caps become its terms (the database refuses caps
    below what was already paid) and the last tranche absorbs the difference."""
    version.effective_at = timezone.now()
    version.save(update_fields=["effective_at"])
    ledger = Ledger.objects.select_for_update().get(convention=convention)
    grant_delta = version.grant_cents - ledger.grant_cents
    advance_delta = version.advance_cents - ledger.advance_cents
    Ledger.objects.filter(pk=ledger.pk).update(
        grant_cents=version.grant_cents, advance_cents=version.advance_cents
    )
    last = convention.tranches.order_by("-order").first()
    if last is not None:
        Tranche.objects.filter(pk=last.pk).update(
            grant_cents=max(0, last.grant_cents + grant_delta),
            advance_cents=max(0, last.advance_cents + advance_delta),
        )


def close(convention: Convention, by, note: str = "", advance_waived: bool = False) -> Convention:
    """The final report is accepted: the project is completed."""
    _require_staff(by, convention)
    with transaction.atomic():
        convention = locked(convention)
        final = convention.milestones.filter(kind=Milestone.Kind.FINAL).first()
        if final is None or not final.is_accepted:
            raise FundingRefused([_("Le rapport final doit être accepté avant la clôture.")])
        _fire(convention, "close")
        convention.ended_at = timezone.now()
        convention.end_reason = note
        convention.advance_waived = advance_waived
        convention.save()
        audit_trail.record(convention, "convention.close", by, note)
    return convention


def terminate(convention: Convention, by, reason: str) -> Convention:
    """Ended early, with a reason: the project is stopped."""
    _require_staff(by, convention)
    if not reason.strip():
        raise FundingRefused([_("Motivez la résiliation.")])
    with transaction.atomic():
        convention = locked(convention)
        _fire(convention, "terminate")
        convention.ended_at = timezone.now()
        convention.end_reason = reason.strip()
        convention.save()
        audit_trail.record(convention, "convention.terminate", by, reason)
    return convention


def file_fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
