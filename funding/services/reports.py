"""Progress and final reports: the beneficiary saves a version (indicator values, narrative,
files checked by content) and submits it; staff accept it or ask for changes, which opens a
new version. An accepted progress report releases its intermediate payment, the accepted
final report the balance. Staff approve what the public project sheet shows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Membership
from grants.uploads import FileKind, inspect_upload

from .. import audit_trail
from ..emails import notify_beneficiary
from ..models import (
    ConventionStatus,
    Milestone,
    PublicProgress,
    ReportFile,
    ReportStatus,
    ReportVersion,
)
from .rules import FundingRefused, locked, require_staff, terms_of

RS = ReportStatus
REPORT_FORMATS = (FileKind.PDF, FileKind.XLSX, FileKind.ODS)
MAX_FILES_PER_REPORT = 10
WRITABLE = (RS.DUE, RS.DRAFT, RS.CHANGES_REQUESTED)


def _require_member(user, convention) -> None:
    if not Membership.objects.filter(
        organisation_id=convention.application.organisation_id, user=user
    ).exists():
        raise FundingRefused([_("Seuls les membres de l'organisation rédigent ses rapports.")])


def indicators_of(convention) -> list:
    terms = terms_of(convention.application.call)
    return list(terms.indicators.all()) if terms.pk else []


def clean_values(convention, raw: dict[str, str]) -> dict[str, str]:
    """The call's indicators' values as decimal strings; unknown keys dropped."""
    values, errors = {}, []
    for indicator in indicators_of(convention):
        text = (raw.get(str(indicator.pk)) or "").strip().replace(",", ".").replace(" ", "")
        if not text:
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors.append(_("« %(name)s » : saisissez un nombre.") % {"name": indicator.name})
            continue
        if not number.is_finite() or number < 0:
            errors.append(
                _("« %(name)s » : saisissez un nombre positif.") % {"name": indicator.name}
            )
            continue
        values[str(indicator.pk)] = str(number)
    if errors:
        raise FundingRefused(errors)
    return values


def save_report(
    milestone: Milestone, by, *, narrative: str, values: dict[str, str], files: Sequence = ()
) -> ReportVersion:
    """The beneficiary's draft: the open version is updated, or a new one follows a submitted
    version that staff sent back. Submitted versions never change."""
    with transaction.atomic():
        convention = locked(milestone.convention)
        _require_member(by, convention)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if (
            convention.status != ConventionStatus.IN_FORCE
            or milestone.report_status not in WRITABLE
        ):
            raise FundingRefused([_("Ce rapport ne peut pas être modifié maintenant.")])
        cleaned = clean_values(convention, values)
        inspected = []
        for upload in files:
            try:
                inspected.append(
                    (upload, inspect_upload(upload, REPORT_FORMATS, settings.ATTACHMENT_MAX_BYTES))
                )
            except ValidationError as refused:
                raise FundingRefused(
                    [f"{getattr(upload, 'name', '')} : {m}" for m in refused.messages]
                ) from refused
        latest = milestone.latest_version()
        if latest is None or latest.is_submitted:
            version = ReportVersion.objects.create(
                milestone=milestone,
                number=(latest.number + 1) if latest else 1,
                narrative=narrative,
                values=cleaned,
                saved_by=by,
            )
            if latest is not None:  # files carried over to the new version
                for kept in latest.files.all():
                    ReportFile.objects.create(
                        version=version,
                        file=kept.file.name,
                        original_name=kept.original_name,
                        content_type=kept.content_type,
                        size=kept.size,
                        sha256=kept.sha256,
                    )
        else:
            version = latest
            version.narrative, version.values, version.saved_by = narrative, cleaned, by
            version.save()
        if version.files.count() + len(inspected) > MAX_FILES_PER_REPORT:
            raise FundingRefused([_("Dix fichiers au plus par rapport.")])
        for upload, facts in inspected:
            upload.seek(0)
            stored = ReportFile(
                version=version,
                original_name=getattr(upload, "name", "fichier")[:255],
                content_type=facts.content_type,
                size=facts.size,
                sha256=facts.sha256,
            )
            stored.file.save("report", ContentFile(upload.read()), save=False)
            stored.save()
        milestone.report_status = RS.DRAFT
        milestone.save(update_fields=["report_status"])
    return version


def submit_report(milestone: Milestone, by) -> ReportVersion:
    with transaction.atomic():
        convention = locked(milestone.convention)
        _require_member(by, convention)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        version = milestone.latest_version()
        if milestone.report_status != RS.DRAFT or version is None or version.is_submitted:
            raise FundingRefused([_("Enregistrez le rapport avant de le transmettre.")])
        if not version.narrative.strip():
            raise FundingRefused([_("Le compte rendu est obligatoire.")])
        version.submitted_at, version.submitted_by = timezone.now(), by
        version.save()
        milestone.report_status = RS.SUBMITTED
        milestone.save(update_fields=["report_status"])
        audit_trail.record(convention, "report.submit", by, f"{milestone.title} v{version.number}")
    return version


def decide_report(milestone: Milestone, by, *, accept: bool, comment: str = "") -> ReportVersion:
    """Staff accept the submitted version, or ask for changes (the comment says which)."""
    require_staff(by, milestone.convention)
    if not accept and not comment.strip():
        raise FundingRefused([_("Dites quelles modifications sont attendues.")])
    with transaction.atomic():
        convention = locked(milestone.convention)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        version = milestone.latest_version()
        if milestone.report_status != RS.SUBMITTED or version is None:
            raise FundingRefused([_("Aucun rapport transmis n'attend de décision.")])
        now = timezone.now()
        version.decision = (
            ReportVersion.Decision.ACCEPTED if accept else ReportVersion.Decision.CHANGES_REQUESTED
        )
        version.decision_comment, version.decided_by, version.decided_at = comment, by, now
        version.save()
        milestone.report_status = RS.ACCEPTED if accept else RS.CHANGES_REQUESTED
        milestone.accepted_at = now if accept else None
        milestone.save(update_fields=["report_status", "accepted_at"])
        code = "report.accept" if accept else "report.request_changes"
        audit_trail.record(convention, code, by, f"{milestone.title} v{version.number} {comment}")
        notify_beneficiary(
            convention,
            "report_accepted" if accept else "report_changes",
            milestone.title if accept else f"{milestone.title} — {comment}",
        )
    return version


def publish_progress(
    convention, by, *, show_status: bool, show_indicators: bool = False, results: str = ""
) -> PublicProgress:
    """What the public sheet shows of the project's follow-up, approved by staff."""
    require_staff(by, convention)
    with transaction.atomic():
        convention = locked(convention)
        progress, _created = PublicProgress.objects.update_or_create(
            convention=convention,
            defaults={
                "show_status": show_status,
                "show_indicators": show_indicators,
                "results": results.strip()[:3000],
                "approved_by": by,
            },
        )
        audit_trail.record(convention, "progress.publish", by, results[:500])
    return progress
