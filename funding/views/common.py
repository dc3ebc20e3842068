"""What the staff and beneficiary pages of a convention share: reading it, signing it, its
documents."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.refusals import Refused
from grants.models import Application

from ..amounts import cents_label
from ..forms import SignatureForm
from ..models import Convention, ConventionVersion, ReportFile, ReportStatus, Signature
from ..services import signatures
from ..services.money import is_released, paid_on_tranche


def convention_of(application_pk: int, staff=None) -> Convention:
    """The application's convention; for ``staff``, only on a call they run (else a 404)."""
    conventions = Convention.objects.select_related(
        "application__call__operator", "application__organisation", "ledger"
    )
    if staff is not None:
        conventions = conventions.filter(
            application__in=Application.objects.handled_by(staff).values("pk")
        )
    return get_object_or_404(conventions, application_id=application_pk)


def confirmed_with(user, secret: str) -> str | None:
    """'password' or 'totp' when ``secret`` proves the user is there, else None."""
    if user.has_usable_password() and user.check_password(secret):
        return "password"
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None and TOTP(totp).validate_code(secret.strip()):
        return "totp"
    return None


def sign(request: HttpRequest, convention: Convention, party: str, form: SignatureForm) -> bool:
    """Sign from a posted, valid form; errors go to the form. True when signed."""
    data = form.cleaned_data
    try:
        if data["method"] == SignatureForm.ONLINE:
            proof = confirmed_with(request.user, data["password"])
            if proof is None:
                form.add_error("password", _("Mot de passe ou code incorrect."))
                return False
            signatures.sign_online(
                convention,
                party,
                request.user,
                name=data["signer_name"],
                role=data["signer_role"],
                seen_sha256=data["document_sha256"],
                confirmed_with=proof,
            )
        else:
            signatures.sign_by_upload(
                convention,
                party,
                request.user,
                name=data["signer_name"],
                role=data["signer_role"],
                seen_sha256=data["document_sha256"],
                upload=data["signed_file"],
            )
    except Refused as refused:
        for message in refused.messages:
            form.add_error(None, message)
        return False
    messages.success(request, _("Document signé."))
    return True


def version_pdf(convention: Convention, number: int, *, signed_by: str | None = None):
    """A version's PDF, or the PDF a party uploaded signed."""
    version = get_object_or_404(ConventionVersion, convention=convention, number=number)
    if signed_by:
        signature = version.signature_of(signed_by)
        if signature is None or not signature.signed_file:
            raise Http404
        return FileResponse(
            signature.signed_file.open("rb"),
            as_attachment=True,
            filename=signature.signed_file_name or version.file_name,
            content_type="application/pdf",
        )
    return FileResponse(
        version.pdf.open("rb"),
        as_attachment=True,
        filename=version.file_name,
        content_type="application/pdf",
    )


def report_file(convention: Convention, file_id: int):
    """A report's file, of this convention only, as an attachment."""
    stored = get_object_or_404(ReportFile, pk=file_id, version__milestone__convention=convention)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


def summary(convention: Convention) -> dict:
    """The convention's figures and schedule as both pages show them."""
    ledger = convention.ledger
    versions = list(convention.versions.prefetch_related("signatures__signer").order_by("number"))
    tranches = list(
        convention.tranches.select_related("milestone")
        .prefetch_related("payments")
        .order_by("order")
    )
    # Cancelled payments and the rows cancelling them, marked in the schedule.
    reversed_ids = {p.reverses_id for t in tranches for p in t.payments.all() if p.reverses_id}
    milestones = list(
        convention.milestones.prefetch_related("report_versions__files").order_by("number")
    )
    return {
        "convention": convention,
        "application": convention.application,
        "ledger": ledger,
        "granted": cents_label(ledger.granted_cents),
        "grant": cents_label(ledger.grant_cents),
        "advance": cents_label(ledger.advance_cents),
        "paid": cents_label(ledger.paid_cents),
        "outstanding": cents_label(ledger.outstanding_cents),
        "repaid": cents_label(ledger.repaid_cents),
        "versions": versions,
        "pending_version": versions[-1] if versions and versions[-1].effective_at is None else None,
        "tranches": [
            {
                "tranche": t,
                "planned": cents_label(t.planned_cents),
                "paid": cents_label(paid_on_tranche(t)),
                "released": is_released(t),
                "payments": list(t.payments.all()),
            }
            for t in tranches
        ],
        "reversed_ids": reversed_ids,
        "milestones": milestones,
        "instalments": list(convention.repayment_instalments.order_by("number")),
        "repayments": list(convention.repayments.order_by("received_on", "pk")),
        "Party": Signature.Party,
        "ReportStatus": ReportStatus,
    }
