"""Drafts: one per organisation and call, saved section by section at any time."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.refusals import Refused
from core.vocabulary import ApplicationStatus

from ..application_forms import form_of
from ..models import Application, Attachment


def start_or_resume(call, organisation, user) -> tuple[Application, bool]:
    """The organisation's draft for this call, created if needed ("reprendre mon brouillon").
    ``call`` may be a translation of the call: the draft belongs to the French original, so
    queues, committees and the one-draft rule see a single call whatever page was read."""
    call = call.reference
    # Applicants start pre-proposals (or single-stage applications); a full application is
    # opened by the shortlisting (``open_full_application``).
    drafts = Application.objects.filter(
        call=call, organisation=organisation, status=ApplicationStatus.DRAFT, stage=1
    )
    existing = drafts.first()
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
        return drafts.get(), False


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


def open_full_application(pre_proposal: Application, cutoff) -> Application:
    """The shortlisted pre-proposal's full application: a draft of the second stage, its
    answers and documents carried over from the pre-proposal (the applicant completes them),
    due by the second-stage relève ``cutoff``. Idempotent: the existing one is returned."""
    existing = Application.objects.filter(pre_proposal=pre_proposal).first()
    if existing is not None:
        return existing
    answers = pre_proposal.frozen_answers
    full = Application.objects.create(
        call=pre_proposal.call,
        organisation=pre_proposal.organisation,
        created_by=pre_proposal.submitted_by or pre_proposal.created_by,
        stage=2,
        pre_proposal=pre_proposal,
        cutoff=cutoff,
        answers=copy.deepcopy(answers or {}),
        project_title=pre_proposal.project_title,
        amount_requested=pre_proposal.amount_requested,
    )
    # The pre-proposal's documents too, each as a file of its own (the two applications are
    # kept, anonymised and purged independently).
    for attachment in pre_proposal.attachments.all():
        with attachment.file.open("rb") as stored:
            content = stored.read()
        Attachment.objects.create(
            application=full,
            slot=attachment.slot,
            file=ContentFile(content, name=attachment.original_name),
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            uploaded_by=attachment.uploaded_by,
        )
    return full


# The eligibility self-check's answers a draft's form may ask: self-check field -> (section,
# question key). The budget section keeps the amount asked under « amount_requested ».
SELF_CHECK_ANSWERS = {
    "amount_requested": ("budget", "amount_requested"),
    "hosts_health_data": ("securite", "hosts_health_data"),
}


def carry_self_check(application: Application, answers: dict[str, str]) -> list[str]:
    """Put the self-check's answers (as posted from its result page) into a new draft, where
    its form asks them and the draft has no answer yet; values that do not parse are left
    out. Returns the keys carried."""
    form = form_of(application)
    carried = []
    for field, (slug, key) in SELF_CHECK_ANSWERS.items():
        value = _self_check_value(field, answers.get(field, ""))
        section = form.sections_by_slug.get(slug)
        if value is None or section is None:
            continue
        asked = section.kind == "budget" or any(q.key == key for q in section.questions)
        current = application.section_answers(slug)
        if not asked or current.get(key) not in (None, ""):
            continue
        application = save_section(application, slug, {**current, key: value})
        carried.append(field)
    return carried


def _self_check_value(field: str, raw: str):
    raw = (raw or "").strip()
    if field == "hosts_health_data":
        return {"yes": True, "no": False}.get(raw)
    amount = _decimal_or_none(raw)
    if amount is None or amount < 0 or amount >= Decimal("1e12"):
        return None
    return str(amount)
