"""Signatures of a convention or an amendment: the beneficiary's legal representative signs
first, online or by uploading the signed PDF, then the operator countersigns; a countersigned
amendment becomes the terms in force."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Membership
from grants.uploads import FileKind, inspect_upload

from .. import audit_trail
from ..models import Convention, ConventionStatus, ConventionVersion, Ledger, Signature, Tranche
from .rules import FundingRefused, fire, locked, require_staff

CS = ConventionStatus


def can_sign_for_beneficiary(user, application) -> bool:
    """The organisation's legal representative: its members with the « Responsable » role."""
    return Membership.objects.filter(
        organisation_id=application.organisation_id, user=user, role=Membership.Role.OWNER
    ).exists()


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
        require_staff(user, convention)


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
            fire(convention, transition)
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
