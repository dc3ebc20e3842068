"""The shipped forms: the reference form, today's catalogue (``grants.questions``), and a short
pre-proposal form drawn from it for the first stage of two-stage calls; staff copy and edit
them in the Wagtail admin. Loaded by ``manage.py load_reference_form``; idempotent."""

from __future__ import annotations

from django.db import transaction

from cms.application_form_definition import body_from_definition
from cms.models import ApplicationForm
from cms.models.application_forms import PRE_PROPOSAL_FORM_NAME

from ..application_forms import reference_definition

REFERENCE_NAME = "Formulaire de référence Santé numérique"
# The pre-proposal: the project in a few answers, the amount asked, a pitch deck and the
# company's registration; the declarations are signed at submission as for a full application.
PRE_PROPOSAL_QUESTIONS = {
    "projet": ("title", "acronym", "summary", "problem", "innovation", "theme", "trl"),
    "budget": None,  # the whole section: the amount asked and the expenses
    "pieces": None,
    "declarations": None,
}
PRE_PROPOSAL_SLOTS = ("pitch_deck", "kbis")


@transaction.atomic
def load_reference_form() -> ApplicationForm:
    """Create the reference form, or bring it back to the catalogue: its newest version is
    updated in place, or followed by a new one if an application was submitted on it."""
    form = ApplicationForm.objects.filter(is_reference=True).first() or ApplicationForm(
        name=REFERENCE_NAME, is_reference=True
    )
    form.description = (
        "Les questions de la plateforme : projet, équipe, budget, éthique, sécurité, "
        "interopérabilité, pièces jointes et déclarations sur l'honneur."
    )
    form.body = body_from_definition(reference_definition())
    form.save()
    return form


def pre_proposal_definition() -> dict:
    """The reference form cut down to a pre-proposal (PRE_PROPOSAL_QUESTIONS)."""
    reference = reference_definition()
    sections = []
    for section in reference["sections"]:
        if section["slug"] not in PRE_PROPOSAL_QUESTIONS:
            continue
        kept = PRE_PROPOSAL_QUESTIONS[section["slug"]]
        questions = [q for q in section["questions"] if kept is None or q["key"] in kept]
        sections.append({**section, "questions": questions})
    slots = [slot for slot in reference["attachments"] if slot["key"] in PRE_PROPOSAL_SLOTS]
    return {**reference, "sections": sections, "attachments": slots}


@transaction.atomic
def load_pre_proposal_form() -> ApplicationForm:
    """Create the short pre-proposal form, or bring it back to its shipped questions."""
    form = ApplicationForm.objects.filter(name=PRE_PROPOSAL_FORM_NAME).first() or ApplicationForm(
        name=PRE_PROPOSAL_FORM_NAME
    )
    form.description = (
        "Première étape d'un appel en deux étapes : le projet en quelques réponses, le montant "
        "demandé, un pitch deck et l'extrait Kbis."
    )
    form.body = body_from_definition(pre_proposal_definition())
    form.save()
    return form
