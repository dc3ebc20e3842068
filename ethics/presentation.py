"""What a reviewer reads: the application as it was frozen at submission, criterion by
criterion, and their assignments in words.

Evidence keys on criteria (``Criterion.evidence_keys``) cite the applicant's frozen answers
as ``"section.question"`` (e.g. ``"securite.host_name"``), a whole section as ``"section"``,
the organisation's frozen fields as ``"organisation.field"``, and attachment slots as
``"piece:slot"``, read in the version of the form the application was submitted on. In
blind mode, whatever identifies the applicant is withheld: the team section, the
organisation's fields, the project's title and acronym, e-mail answers, and the Kbis and
support letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import questions as q
from grants.application_forms import FormSpec, reference_form
from grants.models import Organisation
from grants.questions import TABLE_LABELS
from grants.services.presentation import display_answer

from .aggregation import NOT_APPLICABLE
from .models import Criterion, Review, ReviewAssignment
from .models.grids import ANCHORS_0_5, ATTACHMENT_PREFIX

BLIND_SECTIONS = frozenset({"equipe"})
BLIND_KEYS = frozenset({"projet.title", "projet.acronym"})
BLIND_SLOTS = frozenset({"kbis", "support_letters"})
COMPLIANCE_LABELS = {
    "compliant": gettext_lazy("conforme"),
    "partial": gettext_lazy("partiellement conforme"),
    "non_compliant": gettext_lazy("non conforme"),
}
# Parts of the team and budget sections that are not tables.
PART_LABELS = {
    **TABLE_LABELS,
    "lead": gettext_lazy("Contact principal"),
    "amount_requested": gettext_lazy("Aide demandée (€)"),
}


def anonymised_label(application) -> str:
    return _("Dossier anonymisé n° %(number)s") % {"number": application.pk}


def project_title(application, blind: bool) -> str:
    if blind:
        return anonymised_label(application)
    return application.project_title or application.reference


def organisation_name(application, blind: bool) -> str:
    """The organisation as frozen at submission; empty in blind mode."""
    if blind:
        return ""
    frozen = (application.snapshot or {}).get("organisation") or {}
    return frozen.get("legal_name") or application.organisation.legal_name


# -- Cited answers ------------------------------------------------------------------------


@dataclass
class CitedItem:
    """One evidence key of a criterion, ready to show. ``kind``: answer, attachment, hidden."""

    key: str
    kind: str
    label: str
    value: str = ""
    files: list[dict] = field(default_factory=list)


def _hidden_when_blind(key: str, form: FormSpec) -> bool:
    if key.startswith(ATTACHMENT_PREFIX):
        return key.removeprefix(ATTACHMENT_PREFIX) in BLIND_SLOTS
    section, _dot, name = key.partition(".")
    if section in BLIND_SECTIONS or section == "organisation" or key in BLIND_KEYS:
        return True
    question = form.question(section, name) if name else None
    return bool(question and question.kind == q.EMAIL)


def _table_text(rows: list) -> str:
    lines = []
    for row in rows:
        if isinstance(row, dict):
            lines.append(" · ".join(str(v) for v in row.values() if v not in (None, "", False)))
        else:
            lines.append(str(row))
    return "\n".join(lines) or "—"


def _plain(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return _table_text(value)
    if isinstance(value, dict):
        return " · ".join(f"{k} : {v}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def _organisation_item(key: str, name: str, snapshot: dict) -> CitedItem:
    try:
        label = str(Organisation._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name
    value = (snapshot.get("organisation") or {}).get(name)
    return CitedItem(key, "answer", label, _plain(value))


def _section_items(
    key: str, section: q.Section, saved: dict, blind: bool, form: FormSpec
) -> list[CitedItem]:
    items = []
    for question in section.questions:
        if question.applies(saved):
            items += _answer_items(f"{section.slug}.{question.key}", saved, section, blind, form)
    if section.kind != "questions":
        for name, value in saved.items():
            label = PART_LABELS.get(name, name)
            items.append(CitedItem(f"{key}.{name}", "answer", str(label), _plain(value)))
    return items


def _answer_items(
    key: str, saved: dict, section: q.Section, blind: bool, form: FormSpec
) -> list[CitedItem]:
    if blind and _hidden_when_blind(key, form):
        return [CitedItem(key, "hidden", _("Réponse masquée (expertise à l'aveugle)"))]
    name = key.partition(".")[2]
    question = next((x for x in section.questions if x.key == name), None)
    if question is None:
        label = PART_LABELS.get(name, name)
        return [CitedItem(key, "answer", f"{section.title} — {label}", _plain(saved.get(name)))]
    if not question.applies(saved):
        return [CitedItem(key, "answer", str(question.label), _("Sans objet pour ce dossier"))]
    return [
        CitedItem(key, "answer", str(question.label), display_answer(question, saved.get(name)))
    ]


def _attachment_item(key: str, snapshot: dict, blind: bool, form: FormSpec) -> CitedItem:
    slot_key = key.removeprefix(ATTACHMENT_PREFIX)
    slot = form.slots_by_key.get(slot_key)
    label = str(slot.label) if slot else slot_key
    if blind and slot_key in BLIND_SLOTS:
        return CitedItem(
            key, "hidden", _("%(label)s : masqué (expertise à l'aveugle)") % {"label": label}
        )
    files = [a for a in snapshot.get("attachments", []) if a.get("slot") == slot_key]
    return CitedItem(key, "attachment", label, files=files)


def cited_items(
    criterion: Criterion, snapshot: dict, blind: bool, form: FormSpec | None = None
) -> list[CitedItem]:
    """The applicant's frozen answers and attachments this criterion cites, in its order,
    read in ``form`` (the application's form version; the reference catalogue by default)."""
    form = form or reference_form()
    answers = snapshot.get("answers") or {}
    items: list[CitedItem] = []
    for raw in criterion.evidence_keys or []:
        key = str(raw).strip()
        if key.startswith(ATTACHMENT_PREFIX):
            items.append(_attachment_item(key, snapshot, blind, form))
            continue
        section_slug, _dot, name = key.partition(".")
        if section_slug == "organisation":
            if blind:
                items.append(
                    CitedItem(key, "hidden", _("Organisation masquée (expertise à l'aveugle)"))
                )
            elif name:
                items.append(_organisation_item(key, name, snapshot))
            continue
        section = form.sections_by_slug.get(section_slug)
        if section is None:
            items.append(CitedItem(key, "answer", key, _("Réponse introuvable dans le dossier")))
        elif blind and section_slug in BLIND_SECTIONS:
            items.append(
                CitedItem(
                    key,
                    "hidden",
                    _("%(section)s : masqué (expertise à l'aveugle)") % {"section": section.title},
                )
            )
        elif name:
            items += _answer_items(key, answers.get(section_slug) or {}, section, blind, form)
        else:
            items += _section_items(key, section, answers.get(section_slug) or {}, blind, form)
    return items


def cited_slots(criteria, blind: bool) -> set[str]:
    """Attachment slots the reviewer may download: those the grid cites (minus, in blind
    mode, the ones that name the applicant)."""
    slots = {
        str(key).strip().removeprefix(ATTACHMENT_PREFIX)
        for criterion in criteria
        for key in criterion.evidence_keys or []
        if str(key).strip().startswith(ATTACHMENT_PREFIX)
    }
    return slots - BLIND_SLOTS if blind else slots


# -- Scores and states --------------------------------------------------------------------


def value_label(criterion: Criterion, value: str) -> str:
    if not value:
        return _("non apprécié")
    if value == NOT_APPLICABLE:
        return _("sans objet")
    if value in COMPLIANCE_LABELS:
        return str(COMPLIANCE_LABELS[value])
    if value.isdigit() and int(value) in ANCHORS_0_5:
        return f"{value}/5 — {ANCHORS_0_5[int(value)]}"
    return value


@dataclass(frozen=True)
class AssignmentState:
    label: str
    badge: str  # DSFR badge modifier: new, info, warning, success, error
    version: int | None = None


def assignment_state(assignment: ReviewAssignment, review: Review | None) -> AssignmentState:
    if assignment.conflict == ReviewAssignment.Conflict.PENDING:
        return AssignmentState(_("Déclaration d'intérêts attendue"), "new")
    if assignment.conflict == ReviewAssignment.Conflict.CONFLICTED:
        return AssignmentState(_("Conflit d'intérêts déclaré"), "error")
    if review is None:
        return AssignmentState(_("Avis à rédiger"), "info")
    if review.status == Review.Status.SUBMITTED:
        return AssignmentState(
            _("Avis rendu (version %(version)s)") % {"version": review.version},
            "success",
            review.version,
        )
    return AssignmentState(
        _("Avis en brouillon (version %(version)s)") % {"version": review.version},
        "warning",
        review.version,
    )
