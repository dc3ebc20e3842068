"""What is still missing before an application can be submitted, each with a link to it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import grouped_amount

from ..application_forms import FormSpec, form_of
from ..questions import CHECK


@dataclass(frozen=True)
class MissingItem:
    section: str  # section slug
    anchor: str  # id of the field on the section's page
    message: str


@dataclass(frozen=True)
class SectionProgress:
    slug: str
    title: str
    missing: int

    @property
    def complete(self) -> bool:
        return self.missing == 0


def progress(missing: list[MissingItem], form: FormSpec) -> list[SectionProgress]:
    """Per section, in the form's order, how many items ``missing_items`` found there."""
    counts: dict[str, int] = {}
    for item in missing:
        counts[item.section] = counts.get(item.section, 0) + 1
    return [SectionProgress(s.slug, str(s.title), counts.get(s.slug, 0)) for s in form.sections]


def is_blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def missing_items(application) -> list[MissingItem]:
    """Every required item still empty or invalid, in the order of the form. Declarations on
    honour are not among them: they are signed on the confirmation page."""
    missing: list[MissingItem] = []
    form = form_of(application)
    for section in form.sections:
        answers = application.section_answers(section.slug)
        if section.slug in application.rejected_input:
            missing.append(
                MissingItem(
                    section.slug,
                    "content",
                    _("À corriger : la section « %(title)s » contient une saisie refusée")
                    % {"title": section.title},
                )
            )
        if section.kind == "questions":
            missing += _missing_answers(section, answers)
        elif section.kind == "team":
            missing += _missing_team(section.slug, answers)
        elif section.kind == "budget":
            missing += _budget_problems(application, section.slug, answers)
        elif section.kind == "attachments":
            missing += _missing_attachments(application, section.slug)
    return missing


def _missing_answers(section, answers: dict) -> list[MissingItem]:
    items = []
    for question in section.questions:
        if not question.required or not question.applies(answers):
            continue
        value = answers.get(question.key)
        if (question.kind == CHECK and value is not True) or is_blank(value):
            verb = _("À cocher") if question.kind == CHECK else _("À renseigner")
            items.append(
                MissingItem(section.slug, f"id_{question.key}", f"{verb} : {question.label}")
            )
    return items


def _missing_team(slug: str, answers: dict) -> list[MissingItem]:
    lead = answers.get("lead", {})
    items = []
    if is_blank(lead.get("name")):
        items.append(MissingItem(slug, "id_lead-name", _("À renseigner : nom du contact")))
    if is_blank(lead.get("email")):
        items.append(MissingItem(slug, "id_lead-email", _("À renseigner : courriel du contact")))
    return items


def _budget_problems(application, slug: str, answers: dict) -> list[MissingItem]:
    items = []
    if not any(Decimal(line.get("amount") or 0) > 0 for line in answers.get("lines", [])):
        items.append(MissingItem(slug, "budget-lines", _("Ajoutez au moins une ligne de dépense")))
    requested = application.amount_requested
    if requested is None:
        items.append(MissingItem(slug, "id_amount_requested", _("À renseigner : montant demandé")))
        return items
    call = application.call
    if requested > call.max_amount_per_project:
        items.append(
            MissingItem(
                slug,
                "id_amount_requested",
                _("Le montant demandé dépasse le plafond de l'appel (%(cap)s €).")
                % {"cap": grouped_amount(call.max_amount_per_project)},
            )
        )
    ceiling = application.budget_totals()["total_cost"] * call.aid_rate_percent / 100
    if requested > ceiling:
        items.append(
            MissingItem(
                slug,
                "id_amount_requested",
                _("Le montant demandé dépasse %(rate)s %% du coût total du projet.")
                % {"rate": call.aid_rate_percent},
            )
        )
    return items


def required_slots(application) -> list:
    slots = []
    for slot in form_of(application).attachment_slots:
        if slot.required:
            slots.append(slot)
        elif slot.required_if:
            section_slug, key, value = slot.required_if
            if application.section_answers(section_slug).get(key) == value:
                slots.append(slot)
    return slots


def _missing_attachments(application, slug: str) -> list[MissingItem]:
    present = {a.slot for a in application.attachments.all()}
    return [
        MissingItem(
            slug, f"slot-{slot.key}", _("Pièce à joindre : %(label)s") % {"label": slot.label}
        )
        for slot in required_slots(application)
        if slot.key not in present
    ]
