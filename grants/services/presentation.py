"""Answers as people read them: labels from the catalogue, values in words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cms.models import Theme

from .. import questions as q
from ..forms.sections import EXPENSE_CATEGORIES
from ..questions import TABLE_LABELS


def display_answer(question: q.Question, value) -> str:
    if value in (None, "", []):
        return "—"
    if question.kind in (q.YESNO, q.CHECK):
        return _("Oui") if value else _("Non")
    if question.key == "theme":
        theme = Theme.objects.filter(slug=value).first()
        return theme.name if theme else str(value)
    labels = dict(question.choices)
    if question.kind == q.MULTI:
        return ", ".join(str(labels.get(v, v)) for v in value)
    if question.kind == q.CHOICE and labels:
        return str(labels.get(value, value))
    return str(value)


def _row_text(row: dict) -> str:
    categories = dict(EXPENSE_CATEGORIES)
    values = [categories.get(v, v) if k == "category" else v for k, v in row.items()]
    return " · ".join(str(v) for v in values if v not in (None, "", False))


def answers_for_display(answers: dict) -> list[dict]:
    """Per section, (label, value) pairs; the budget and team tables as one line per row."""
    sections = []
    for section in q.SECTIONS:
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
            rows = [(_("Aide demandée (€)"), saved.get("amount_requested") or "—")]
        if section.kind in ("team", "budget"):
            for key, label in TABLE_LABELS.items():
                for row in saved.get(key, []):
                    rows.append((label, _row_text(row)))
        if rows:
            sections.append({"title": section.title, "slug": section.slug, "rows": rows})
    return sections
