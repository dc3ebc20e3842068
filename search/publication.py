"""Preparing, publishing and unpublishing project sheets; each change queues an index update
in the same transaction (the outbox)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models import Theme
from core.vocabulary import ApplicationStatus
from evaluation.conditions import latest_committee_decision

from .models import IndexOutbox, PublicationLog, PublicProject
from .tasks import schedule_outbox


class PublicationRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _unique_slug(title: str, pk: int | None) -> str:
    base = slugify(title)[:100] or "projet"
    slug, n = base, 2
    while PublicProject.objects.filter(slug=slug).exclude(pk=pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def sheet_for(application) -> tuple[PublicProject, list[Theme]]:
    """The application's sheet if it has one, else the draft it would get, unsaved, with that
    draft's themes. Only a funded application has a sheet; only the public fields are copied.
    """
    if application.status != ApplicationStatus.FUNDED:
        raise PublicationRefused(_("Seul un projet financé peut être publié au catalogue."))
    existing = PublicProject.objects.filter(application=application).first()
    if existing:
        return existing, []
    frozen = (application.snapshot or {}).get("answers", {})
    project = frozen.get("projet", {})
    decision = latest_committee_decision(application)
    title = project.get("title") or application.project_title
    sheet = PublicProject(
        application=application,
        slug=_unique_slug(title, None),
        title=title,
        summary=project.get("summary", ""),
        organisation_name=application.organisation.legal_name,
        region=application.organisation.region,
        call=application.call,
        call_title=application.call.title,
        year=(application.submitted_at or timezone.now()).year,
        amount_granted=decision.amount_granted if decision and decision.amount_granted else 0,
        trl=int(project["trl"]) if str(project.get("trl", "")).isdigit() else None,
    )
    theme = project.get("theme")
    return sheet, list(Theme.objects.filter(slug=theme)) if theme else []


@transaction.atomic
def prepare_sheet(application) -> PublicProject:
    """The application's sheet, saved as a draft the first time."""
    sheet, themes = sheet_for(application)
    if sheet.pk is None:
        sheet.save()
        sheet.themes.set(themes)
    return sheet


def _queue(sheet: PublicProject, action: str) -> None:
    """The change is recorded with the sheet; the engine is updated after the commit."""
    IndexOutbox.objects.create(project_id=sheet.pk, action=action)
    schedule_outbox()


@transaction.atomic
def publish(sheet: PublicProject, by) -> PublicProject:
    if not sheet.title.strip() or not sheet.summary.strip():
        raise PublicationRefused(_("Le titre et le résumé publics sont obligatoires."))
    sheet.status = PublicProject.Status.PUBLISHED
    sheet.published_at = sheet.published_at or timezone.now()
    sheet.save()
    PublicationLog.objects.create(project=sheet, action="publish", by=by)
    _queue(sheet, IndexOutbox.Action.INDEX)
    return sheet


@transaction.atomic
def unpublish(sheet: PublicProject, by) -> PublicProject:
    sheet.status = PublicProject.Status.DRAFT
    sheet.save()
    PublicationLog.objects.create(project=sheet, action="unpublish", by=by)
    _queue(sheet, IndexOutbox.Action.REMOVE)
    return sheet


@transaction.atomic
def save_sheet(sheet: PublicProject) -> PublicProject:
    """Edits to a published sheet reach the index too."""
    sheet.save()
    if sheet.status == PublicProject.Status.PUBLISHED:
        _queue(sheet, IndexOutbox.Action.INDEX)
    return sheet
