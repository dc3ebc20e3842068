"""Drafts: one per organisation and call, saved section by section at any time."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.refusals import Refused
from core.vocabulary import ApplicationStatus

from ..application_forms import form_of
from ..models import Application


def start_or_resume(call, organisation, user) -> tuple[Application, bool]:
    """The organisation's draft for this call, created if needed ("reprendre mon brouillon").
    ``call`` may be a translation of the call: the draft belongs to the French original, so
    queues, committees and the one-draft rule see a single call whatever page was read."""
    call = call.reference
    existing = Application.objects.filter(
        call=call, organisation=organisation, status=ApplicationStatus.DRAFT
    ).first()
    if existing:
        return existing, False
    call.check_open()
    try:
        with transaction.atomic():
            return Application.objects.create(
                call=call, organisation=organisation, created_by=user
            ), True
    except IntegrityError:
        # A colleague created it a moment ago: one draft per organisation and call.
        return Application.objects.get(
            call=call, organisation=organisation, status=ApplicationStatus.DRAFT
        ), False


def save_section(
    application: Application, slug: str, answers: dict, rejected: dict | None = None
) -> Application:
    """Replace one section's valid answers and keep what was ``rejected`` (the posted input,
    when part of it was refused) until a save without error. Other sections are untouched, even
    if a co-applicant saved them a second ago: the row is locked and re-read before merging."""
    section = form_of(application).sections_by_slug.get(slug)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise Refused([_("Ce dossier a été déposé : il ne peut plus être modifié.")])
        locked.answers = {**locked.answers, slug: answers}
        pending = {k: v for k, v in locked.rejected_input.items() if k != slug}
        locked.rejected_input = {**pending, slug: rejected} if rejected else pending
        # Copied for lists and checks: the question keyed « title » names the project.
        if section is not None and any(q.key == "title" for q in section.questions):
            locked.project_title = (answers.get("title") or "")[:200]
        if section is not None and section.kind == "budget":
            locked.amount_requested = _decimal_or_none(answers.get("amount_requested"))
        locked.save(
            update_fields=[
                "answers",
                "rejected_input",
                "project_title",
                "amount_requested",
                "updated_at",
            ]
        )
    return locked


def _decimal_or_none(value) -> Decimal | None:
    try:
        return Decimal(value) if value not in (None, "") else None
    except InvalidOperation:
        return None
