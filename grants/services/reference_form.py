"""The shipped reference form: today's catalogue (``grants.questions``) as a form staff can
copy and edit in the Wagtail admin. Loaded by ``manage.py load_reference_form``; idempotent."""

from __future__ import annotations

from django.db import transaction

from cms.application_form_definition import body_from_definition
from cms.models import ApplicationForm

from ..application_forms import reference_definition

REFERENCE_NAME = "Formulaire de référence Santé numérique"


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
