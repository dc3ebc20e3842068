"""One editor per kind of section: the forms it shows and the answers it produces.

Views stay the same for every section: build the editor with the posted data, save what is
valid, show what is not.
"""

from __future__ import annotations

from decimal import Decimal

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


class QuestionsEditor:
    template = "grants/sections/questions.html"

    def __init__(self, section: q.Section, application, data=None):
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

    def __init__(self, section: q.Section, application, data=None):
        saved = application.section_answers(section.slug)
        self.lead = LeadContactForm(data, prefix="lead", initial=saved.get("lead"))
        self.members = row_formset(TeamMemberForm)(
            data, prefix="members", initial=saved.get("members", [])
        )
        self.partners = row_formset(PartnerForm)(
            data, prefix="partners", initial=saved.get("partners", [])
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
        for formset in (self.members, self.partners):
            for form in formset.forms:
                errors.update({f"{form.prefix}-{k}": v for k, v in form.errors.items()})
        return errors

    def context(self) -> dict:
        return {"lead_form": self.lead, "members": self.members, "partners": self.partners}


class BudgetEditor:
    template = "grants/sections/budget.html"

    def __init__(self, section: q.Section, application, data=None):
        saved = application.section_answers(section.slug)
        self.application = application
        self.lines = row_formset(ExpenseLineForm, extra=2)(
            data, prefix="lines", initial=saved.get("lines", [])
        )
        self.cofunding = row_formset(CofundingForm)(
            data, prefix="cofunding", initial=saved.get("cofunding", [])
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
            previous = self.application.section_answers("budget").get("amount_requested")
            answers["amount_requested"] = previous
        return answers

    def errors(self) -> dict:
        errors = {k: v for k, v in self.amount.errors.items()}
        for formset in (self.lines, self.cofunding):
            for form in formset.forms:
                errors.update({f"{form.prefix}-{k}": v for k, v in form.errors.items()})
        return errors

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


def editor_for(section: q.Section, application, data=None):
    return EDITORS[section.kind](section, application, data)
