"""Answers as people read them: labels from the catalogue, values in words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cms.models import Theme
from core.formatting import euros_label

from .. import questions as q
from ..application_forms import FormSpec, form_of, reference_form
from ..forms.sections import EXPENSE_CATEGORIES, PartnerForm
from ..questions import TABLE_LABELS
from ..receipts import paris_datetime


def display_answer(question: q.Question, value) -> str:
    if value in (None, "", []):
        return "—"
    if question.kind in (q.YESNO, q.CHECK, q.DECLARATION):
        return _("Oui") if value else _("Non")
    if question.kind == q.AMOUNT:
        return euros_label(value)
    if question.kind == q.CHOICE and not question.choices:
        # Chosen among the call's themes.
        theme = Theme.objects.filter(slug=value).first()
        return theme.name if theme else str(value)
    labels = dict(question.choices)
    if question.kind == q.MULTI:
        return ", ".join(str(labels.get(v, v)) for v in value)
    if question.kind == q.CHOICE and labels:
        return str(labels.get(value, value))
    return str(value)


def _cell_text(key: str, value) -> str:
    """One value of a table row as people read it: a ticked box by its label (« Établissement
    de santé », not « True »), an amount with its unit, a category by its name."""
    if value is True:
        field = PartnerForm.base_fields.get(key)
        return str(field.label) if field else _("Oui")
    if key == "amount":
        return euros_label(value)
    if key == "category":
        return str(dict(EXPENSE_CATEGORIES).get(value, value))
    return str(value)


def _row_text(row: dict) -> str:
    return " · ".join(_cell_text(k, v) for k, v in row.items() if v not in (None, "", False))


def answers_for_display(answers: dict, form: FormSpec | None = None) -> list[dict]:
    """Per section of ``form`` (the reference catalogue by default), (label, value) pairs;
    the budget and team tables as one line per row."""
    sections = []
    for section in (form or reference_form()).sections:
        saved = answers.get(section.slug, {})
        rows: list[tuple[str, str]] = []
        if section.kind == "questions":
            rows = [
                (question.label, display_answer(question, saved.get(question.key)))
                for question in section.questions
                if question.applies(saved)
            ]
        elif section.kind == "team":
            lead = saved.get("lead", {})
            rows = [(_("Contact principal"), _row_text(lead) or "—")]
        elif section.kind == "budget":
            rows = [(_("Aide demandée"), euros_label(saved.get("amount_requested")))]
        if section.kind in ("team", "budget"):
            for key, label in TABLE_LABELS.items():
                for row in saved.get(key, []):
                    rows.append((label, _row_text(row)))
        if rows:
            sections.append({"title": section.title, "slug": section.slug, "rows": rows})
    return sections


def signed_declarations(application) -> dict | None:
    """The declarations on honour signed at submission (who, in which role, when, the exact
    texts), as frozen in the snapshot; None before submission or for an older application."""
    signature = (application.snapshot or {}).get("declarations")
    if not signature:
        return None
    return {**signature, "signed_at_display": paris_datetime(signature["signed_at"])}


def recap_of(application) -> list[dict]:
    """The submitted application's frozen answers, in the form it was submitted on."""
    return answers_for_display(
        (application.snapshot or {}).get("answers", {}), form_of(application)
    )
