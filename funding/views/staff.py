"""Staff's page of a convention: its documents and signatures, the schedule, payments (and
their cancellation, with a reason) and repayments, the reports to judge, the public sheet,
the end. Every action is a service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.mfa import sensitive_action
from core.refusals import Refused
from core.roles import staff_only

from .. import audit_trail
from ..amounts import euros, to_cents
from ..forms import (
    AmendmentForm,
    CloseForm,
    PaymentForm,
    PaymentReversalForm,
    PublicProgressForm,
    ReasonForm,
    RepaymentForm,
    ReportDecisionForm,
    SignatureForm,
    StartForm,
)
from ..models import Milestone, Payment, PublicProgress, Signature, Tranche
from ..services import conventions, money, reports
from .common import convention_of, report_file, sign, summary, version_pdf


def _forms(convention, data=None, files=None, action: str = "") -> dict:
    """Each action's form: the posted one bound, the others blank."""
    payable = money.next_payable(convention) if convention.status == "in_force" else []
    progress = PublicProgress.objects.filter(convention=convention).first()
    ledger = convention.ledger
    version = convention.effective_version()
    payments = list(convention.payments.order_by("paid_on", "pk"))
    reversed_ids = {p.reverses_id for p in payments if p.reverses_id}
    specs = {
        "countersign": (SignatureForm, {}),
        "bring_into_force": (StartForm, {}),
        "pay": (PaymentForm, {"payable": payable}),
        "repay": (RepaymentForm, {}),
        "reverse_payment": (
            PaymentReversalForm,
            {"payments": payments, "reversed_ids": reversed_ids},
        ),
        "amend": (
            AmendmentForm,
            {
                "initial": {
                    "grant": euros(ledger.grant_cents),
                    "advance": euros(ledger.advance_cents),
                    "duration_months": version.duration_months if version else 24,
                }
            },
        ),
        "terminate": (ReasonForm, {}),
        "close": (CloseForm, {}),
        "publish": (
            PublicProgressForm,
            {
                "initial": {
                    "show_status": progress.show_status if progress else True,
                    "show_indicators": progress.show_indicators if progress else False,
                    "results": progress.results if progress else "",
                }
            },
        ),
    }
    forms = {}
    for name, (form_class, kwargs) in specs.items():
        bound = {"data": data, "files": files} if name == action else {}
        forms[name] = form_class(prefix=name, **bound, **kwargs)
    pending = convention.latest_version()
    if pending is not None and "document_sha256" in forms["countersign"].fields:
        forms["countersign"].initial["document_sha256"] = pending.sha256
    return forms


def _run(request, call: Callable[[], object], success: str) -> bool:
    try:
        call()
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _simple_actions(request, convention) -> bool | None:
    """Actions without a form: None when the action is not one of them."""
    action = request.POST.get("action")
    user = request.user
    if action == "send":
        return _run(request, lambda: conventions.send(convention, user), _("Convention envoyée."))
    if action == "withdraw":
        return _run(
            request,
            lambda: conventions.withdraw(convention, user),
            _("Convention reprise en préparation."),
        )
    if action == "regenerate":
        return _run(
            request,
            lambda: conventions.regenerate(convention, user),
            _("Nouvelle version générée."),
        )
    if action == "decide_report":
        form = ReportDecisionForm(request.POST, prefix="report")
        if not form.is_valid():
            messages.error(request, _("Choisissez une décision."))
            return False
        milestone = get_object_or_404(
            Milestone, pk=form.cleaned_data["milestone"], convention=convention
        )
        return _run(
            request,
            lambda: reports.decide_report(
                milestone,
                user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            ),
            _("Décision enregistrée."),
        )
    return None


def _form_action(request, convention, action: str, form) -> bool:
    user = request.user
    data = form.cleaned_data
    if action == "countersign":
        return sign(request, convention, Signature.Party.OPERATOR, form)
    if action == "bring_into_force":
        call = lambda: conventions.bring_into_force(convention, user, data["start"])  # noqa: E731
        return _run(request, call, _("Convention en vigueur."))
    if action == "pay":
        tranche = get_object_or_404(Tranche, pk=data["tranche"], convention=convention)
        return _run(
            request,
            lambda: money.record_payment(
                convention,
                tranche,
                user,
                cents=form.cents,
                paid_on=data["paid_on"],
                reference=data["reference"],
                note=data["note"],
            ),
            _("Versement enregistré."),
        )
    if action == "reverse_payment":
        payment = get_object_or_404(Payment, pk=data["payment"], convention=convention)
        return _run(
            request,
            lambda: money.reverse_payment(payment, user, data["reason"]),
            _("Versement annulé : une écriture du montant opposé est enregistrée."),
        )
    if action == "repay":
        return _run(
            request,
            lambda: money.record_repayment(
                convention,
                user,
                cents=to_cents(data["amount"]),
                received_on=data["received_on"],
                reference=data["reference"],
            ),
            _("Remboursement enregistré."),
        )
    if action == "amend":
        return _run(
            request,
            lambda: conventions.amend(
                convention,
                user,
                grant_cents=to_cents(data["grant"]),
                advance_cents=to_cents(data["advance"]),
                duration_months=data["duration_months"],
                reason=data["reason"],
            ),
            _("Avenant préparé : il attend les signatures."),
        )
    if action == "terminate":
        return _run(
            request,
            lambda: conventions.terminate(convention, user, data["reason"]),
            _("Convention résiliée."),
        )
    if action == "close":
        return _run(
            request,
            lambda: conventions.close(convention, user, data["note"], data["advance_waived"]),
            _("Convention clôturée."),
        )
    if action == "publish":
        return _run(
            request,
            lambda: reports.publish_progress(convention, user, **data),
            _("Fiche publique mise à jour."),
        )
    return False


@staff_only
@sensitive_action  # countersigns, records payments, closes
def staff_convention(request: HttpRequest, pk: int) -> HttpResponse:
    convention = convention_of(pk, request.user)
    forms = None
    if request.method == "POST":
        done = _simple_actions(request, convention)
        if done is None:
            action = request.POST.get("action", "")
            forms = _forms(convention, request.POST, request.FILES, action)
            form = forms.get(action)
            if (
                form is not None
                and form.is_valid()
                and _form_action(request, convention, action, form)
            ):
                return redirect("funding:staff_convention", pk)
        else:
            return redirect("funding:staff_convention", pk)
        convention = convention_of(pk, request.user)
    context = summary(convention)
    context.update(
        forms=forms or _forms(convention),
        decision_form=ReportDecisionForm(prefix="report"),
        history=[
            {"entry": e, "label": audit_trail.entry_label(e.transition)}
            for e in audit_trail.history(convention)
        ],
        progress=PublicProgress.objects.filter(convention=convention).first(),
        indicators=reports.indicators_of(convention),
        final_accepted=convention.milestones.filter(
            kind=Milestone.Kind.FINAL, report_status="accepted"
        ).exists(),
    )
    return render(request, "funding/staff_convention.html", context)


@staff_only
@require_GET
def staff_version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return version_pdf(
        convention_of(pk, request.user), number, signed_by=request.GET.get("signe_par")
    )


@staff_only
@require_GET
def staff_report_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    return report_file(convention_of(pk, request.user), file_id)
