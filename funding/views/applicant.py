"""The beneficiary's pages: the convention to read and sign, the payments received, the
reports to write and submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.refusals import Refused
from grants.permissions import member_application

from ..forms import ReportForm, SignatureForm
from ..models import ConventionStatus, Milestone, ReportStatus, Signature
from ..services import reports, signatures
from .common import convention_of, report_file, sign, summary, version_pdf


def _visible_convention(request: HttpRequest, pk: int):
    member_application(request, pk)  # 404 unless the user is a member of the organisation
    convention = convention_of(pk)
    if not convention.is_public_to_beneficiary:
        raise Http404
    return convention


def _awaits_beneficiary(convention) -> bool:
    version = convention.latest_version()
    if version is None or version.effective_at is not None:
        return False
    if version.signature_of(Signature.Party.BENEFICIARY) is not None:
        return False
    return convention.status in (ConventionStatus.SENT, ConventionStatus.IN_FORCE)


@login_required
def convention(request: HttpRequest, pk: int) -> HttpResponse:
    convention = _visible_convention(request, pk)
    may_sign = signatures.can_sign_for_beneficiary(request.user, convention.application)
    awaiting = _awaits_beneficiary(convention)
    form = None
    if awaiting and may_sign:
        version = convention.latest_version()
        if request.method == "POST":
            form = SignatureForm(request.POST, request.FILES, prefix="sign")
            if form.is_valid() and sign(request, convention, Signature.Party.BENEFICIARY, form):
                return redirect("funding:convention", pk)
        else:
            form = SignatureForm(prefix="sign", initial={"document_sha256": version.sha256})
    elif request.method == "POST":
        return redirect("funding:convention", pk)
    context = summary(convention)
    context.update(sign_form=form, awaiting=awaiting, may_sign=may_sign)
    return render(request, "funding/convention.html", context)


@login_required
@require_GET
def convention_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return version_pdf(_visible_convention(request, pk), number)


@login_required
def report(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    convention = _visible_convention(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, convention=convention)
    indicators = reports.indicators_of(convention)
    latest = milestone.latest_version()
    writable = (
        convention.status == ConventionStatus.IN_FORCE
        and milestone.report_status in reports.WRITABLE
    )
    if request.method == "POST" and writable:
        form = ReportForm(request.POST, request.FILES, indicators=indicators)
        if form.is_valid():
            try:
                reports.save_report(
                    milestone,
                    request.user,
                    narrative=form.cleaned_data["narrative"],
                    values=form.values(),
                    files=request.FILES.getlist("files"),
                )
                if request.POST.get("action") == "submit":
                    reports.submit_report(milestone, request.user)
                    messages.success(request, _("Rapport transmis."))
                    return redirect("funding:convention", pk)
                messages.success(request, _("Rapport enregistré."))
                return redirect("funding:report", pk, milestone.pk)
            except Refused as refused:
                for message in refused.messages:
                    form.add_error(None, message)
    else:
        initial = {}
        if latest is not None:
            initial["narrative"] = latest.narrative
            initial.update({f"indicator_{k}": v for k, v in latest.values.items()})
        form = ReportForm(initial=initial, indicators=indicators)
    return render(
        request,
        "funding/report.html",
        {
            "convention": convention,
            "application": convention.application,
            "milestone": milestone,
            "form": form,
            "writable": writable,
            "versions": list(
                milestone.report_versions.prefetch_related("files").order_by("-number")
            ),
            "indicators": indicators,
            "ReportStatus": ReportStatus,
        },
    )


@login_required
@require_GET
def report_file_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    return report_file(_visible_convention(request, pk), file_id)
