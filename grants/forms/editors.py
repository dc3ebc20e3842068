"""One editor per kind of section: the forms it shows and the answers it produces.

Views stay the same for every section: build the editor with the posted data, save what is
valid, show what is not.

A bound editor reads the posted data alone, never the saved answers as ``initial``: a formset
compares an added row with its initial value to decide whether it changed, so a row saved a
moment ago (by autosave, or by a save that had an error elsewhere) would look unchanged on the
next post and be dropped.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import QueryDict

from .. import questions as q
from .sections import (
    AmountRequestedForm,
    CofundingForm,
    ExpenseLineForm,
    LeadContactForm,
    PartnerForm,
    SectionForm,
    TeamMemberForm,
    filled_rows,
    row_formset,
)

# Posted names that are buttons or the CSRF token, not answers.
NOT_INPUT = {"csrfmiddlewaretoken", "save", "continue", "add_row"}


def rejected_input(data: QueryDict) -> dict[str, list[str]]:
    """What was posted, as JSON, to show again when part of it was refused."""
    return {name: values for name, values in data.lists() if name not in NOT_INPUT}


def as_posted(rejected: dict[str, list[str]] | None) -> QueryDict | None:
    """The posted data kept by ``rejected_input``, to bind an editor with again."""
    if not rejected:
        return None
    data = QueryDict(mutable=True)
    for name, values in rejected.items():
        data.setlist(name, values)
    return data


def _rows(form_class, prefix: str, data, saved: list, extra: int = 1, add: bool = False):
    """A repeatable table: bound to the posted rows alone, else the saved rows plus empty ones.

    ``add`` is the « Ajouter une ligne » button without JavaScript, which saves first: the
    saved rows are then followed by an empty one already, but rows shown again with an error
    (bound) need one more."""
    if data is not None:
        if add:
            data = data.copy()
            total = f"{prefix}-TOTAL_FORMS"
            data[total] = str(int(data.get(total) or 0) + 1)
        return row_formset(form_class)(data, prefix=prefix)
    return row_formset(form_class, extra=extra)(prefix=prefix, initial=saved)


def _row_errors(*formsets) -> dict:
    errors = {}
    for formset in formsets:
        for form in formset.forms:
            errors.update({f"{form.prefix}-{k}": v for k, v in form.errors.items()})
    return errors


class QuestionsEditor:
    template = "grants/sections/questions.html"

    def __init__(self, section: q.Section, application, data=None, add_row: str = ""):
        self.form = SectionForm(
            section, application.call, data, answers=application.section_answers(section.slug)
        )

    def answers(self) -> dict:
        return self.form.valid_answers()

    def errors(self) -> dict:
        return dict(self.form.errors)

    def context(self) -> dict:
        return {"form": self.form}


class TeamEditor:
    template = "grants/sections/team.html"

    def __init__(self, section: q.Section, application, data=None, add_row: str = ""):
        saved = application.section_answers(section.slug)
        self.lead = LeadContactForm(
            data, prefix="lead", initial=None if data is not None else saved.get("lead")
        )
        self.members = _rows(
            TeamMemberForm, "members", data, saved.get("members", []), add=add_row == "members"
        )
        self.partners = _rows(
            PartnerForm, "partners", data, saved.get("partners", []), add=add_row == "partners"
        )

    def answers(self) -> dict:
        self.lead.is_valid()
        lead = {k: v for k, v in self.lead.cleaned_data.items() if k not in self.lead.errors}
        return {
            "lead": lead,
            "members": filled_rows(self.members),
            "partners": filled_rows(self.partners),
        }

    def errors(self) -> dict:
        errors = {f"lead-{k}": v for k, v in self.lead.errors.items()}
        return {**errors, **_row_errors(self.members, self.partners)}

    def context(self) -> dict:
        return {"lead_form": self.lead, "members": self.members, "partners": self.partners}


class BudgetEditor:
    template = "grants/sections/budget.html"

    def __init__(self, section: q.Section, application, data=None, add_row: str = ""):
        saved = application.section_answers(section.slug)
        self.application = application
        self.slug = section.slug
        self.lines = _rows(
            ExpenseLineForm, "lines", data, saved.get("lines", []), extra=2, add=add_row == "lines"
        )
        self.cofunding = _rows(
            CofundingForm, "cofunding", data, saved.get("cofunding", []), add=add_row == "cofunding"
        )
        self.amount = AmountRequestedForm(
            data,
            call=application.call,
            initial={"amount_requested": saved.get("amount_requested")},
        )

    def answers(self) -> dict:
        self.amount.is_valid()
        requested = self.amount.cleaned_data.get("amount_requested")
        answers = {"lines": filled_rows(self.lines), "cofunding": filled_rows(self.cofunding)}
        if "amount_requested" not in self.amount.errors:
            answers["amount_requested"] = str(requested) if requested is not None else None
        else:
            # A refused amount is not saved; the previous one stays until corrected.
            previous = self.application.section_answers(self.slug).get("amount_requested")
            answers["amount_requested"] = previous
        return answers

    def errors(self) -> dict:
        return {**self.amount.errors, **_row_errors(self.lines, self.cofunding)}

    def context(self) -> dict:
        if self.lines.is_bound:
            lines = filled_rows(self.lines)
            total = sum((Decimal(line.get("amount") or 0) for line in lines), Decimal(0))
        else:
            total = self.application.budget_totals()["total_cost"]
        return {
            "lines": self.lines,
            "cofunding": self.cofunding,
            "amount_form": self.amount,
            "total_cost": total,
            "aid_ceiling": total * self.application.call.aid_rate_percent / 100,
        }


EDITORS = {"questions": QuestionsEditor, "team": TeamEditor, "budget": BudgetEditor}


def editor_for(section: q.Section, application, data=None, add_row: str = ""):
    """The section's editor, bound to ``data`` when given, else to the input refused at the
    last save (shown again with its errors until corrected), else to the saved answers."""
    if data is None:
        data = as_posted(application.rejected_input.get(section.slug))
    return EDITORS[section.kind](section, application, data, add_row)
