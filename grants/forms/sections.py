"""Forms for the application's sections, built from the question catalogue.

Every field is optional while drafting: required answers are checked at submission
(services/completeness.py). Format rules (length, numbers, e-mail…) apply at once, and valid
answers are kept even when another field of the same form is wrong.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from cms.models import Theme
from core.formatting import grouped_amount

from .. import questions as q
from ..validators import clean_siret

YES_NO = (("true", _("Oui")), ("false", _("Non")))


def _to_bool(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


REQUIRED_HINT = _("Obligatoire pour le dépôt.")


def _question_field(question: q.Question, call) -> forms.Field:
    hint = " ".join(
        str(h) for h in (question.help, REQUIRED_HINT if question.required else "") if h
    )
    common = {"label": question.label, "help_text": hint, "required": False}
    kind = question.kind
    if kind == q.TEXTAREA:
        return forms.CharField(
            max_length=question.max_length,
            widget=forms.Textarea(attrs={"rows": 5, "data-maxlength": question.max_length or ""}),
            **common,
        )
    if kind == q.CHOICE:
        choices = question.choices or _theme_choices(call)
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if kind == q.MULTI:
        return forms.MultipleChoiceField(
            choices=question.choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == q.YESNO:
        return forms.TypedChoiceField(
            choices=YES_NO, coerce=_to_bool, empty_value=None, widget=forms.RadioSelect, **common
        )
    if kind == q.CHECK:
        return forms.BooleanField(**common)
    if kind == q.INTEGER:
        return forms.IntegerField(
            min_value=question.min_value, max_value=question.max_value, **common
        )
    if kind == q.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == q.URL:
        return forms.URLField(assume_scheme="https", **common)
    if kind == q.AMOUNT:
        return forms.DecimalField(
            max_digits=14,
            decimal_places=2,
            validators=[MinValueValidator(Decimal(0))],
            widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            **common,
        )
    if kind == q.EMAIL:
        return forms.EmailField(**common)
    return forms.CharField(max_length=question.max_length, **common)


def _theme_choices(call) -> list[tuple[str, str]]:
    themes = list(call.themes.all()) or list(Theme.objects.all())
    return [(theme.slug, theme.name) for theme in themes]


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _initial_value(question: q.Question, value):
    if question.kind == q.YESNO and isinstance(value, bool):
        return "true" if value else "false"
    return value


class SectionForm(DsfrBaseForm):
    """The questions of one section. ``valid_answers()`` returns what can be saved now."""

    def __init__(self, section: q.Section, call, *args, answers: dict | None = None, **kwargs):
        answers = answers or {}
        kwargs.setdefault(
            "initial",
            {
                question.key: _initial_value(question, answers.get(question.key))
                for question in section.questions
            },
        )
        super().__init__(*args, **kwargs)
        self.section = section
        for question in section.questions:
            field = _question_field(question, call)
            # The section template shows the question's heading (« intertitre ») before it.
            field.question = question
            self.fields[question.key] = field
            # DsfrBaseForm styles the fields present at its __init__; these come after.
            dsfr_input_class_attr(self[question.key])

    def valid_answers(self) -> dict:
        """Answers of the fields that passed validation, ready for JSON."""
        self.is_valid()
        return {
            key: _json_value(value)
            for key, value in self.cleaned_data.items()
            if key not in self.errors
        }


# -- Team ----------------------------------------------------------------------------------


class LeadContactForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom du contact"), max_length=120, required=False)
    role = forms.CharField(label=_("Fonction"), max_length=120, required=False)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)


class TeamMemberForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom"), max_length=120, required=False)
    role = forms.CharField(label=_("Rôle"), max_length=120, required=False)
    skills = forms.CharField(label=_("Compétences"), max_length=300, required=False)


class PartnerForm(DsfrBaseForm):
    name = forms.CharField(label=_("Organisation partenaire"), max_length=200, required=False)
    siret = forms.CharField(
        label=_("SIRET (si française)"), max_length=20, required=False, validators=[clean_siret]
    )
    role = forms.CharField(label=_("Rôle dans le projet"), max_length=300, required=False)
    is_health_establishment = forms.BooleanField(label=_("Établissement de santé"), required=False)
    is_patient_association = forms.BooleanField(label=_("Association de patients"), required=False)

    def clean_siret(self) -> str:
        value = self.cleaned_data["siret"]
        return clean_siret(value) if value else ""


# -- Budget --------------------------------------------------------------------------------


EXPENSE_CATEGORIES = (
    ("staff", _("Personnel")),
    ("subcontracting", _("Sous-traitance")),
    ("equipment", _("Équipement")),
    ("clinical_study", _("Étude clinique")),
    ("other", _("Autre")),
)


def _amount_field(label) -> forms.DecimalField:
    """An optional amount in euros and cents, never negative."""
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        required=False,
    )


class ExpenseLineForm(DsfrBaseForm):
    category = forms.ChoiceField(
        label=_("Catégorie"), choices=[("", "—"), *EXPENSE_CATEGORIES], required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = _amount_field(_("Montant HT (€)"))


class CofundingForm(DsfrBaseForm):
    source = forms.CharField(label=_("Source du cofinancement"), max_length=200, required=False)
    amount = _amount_field(_("Montant (€)"))


class AmountRequestedForm(DsfrBaseForm):
    amount_requested = _amount_field(_("Montant de l'aide demandée (€)"))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["amount_requested"].help_text = _(
            "Plafond de l'appel : %(cap)s € ; au plus %(rate)s %% du coût total."
        ) % {
            "cap": grouped_amount(call.max_amount_per_project),
            "rate": call.aid_rate_percent,
        }

    def clean_amount_requested(self) -> Decimal | None:
        amount = self.cleaned_data["amount_requested"]
        if amount is not None and amount > self.call.max_amount_per_project:
            raise forms.ValidationError(
                _("Le montant demandé dépasse le plafond de l'appel (%(cap)s €).")
                % {"cap": grouped_amount(self.call.max_amount_per_project)},
                code="above_cap",
            )
        return amount


def row_formset(form_class: type[forms.Form], extra: int = 1):
    # can_delete: each row has a « Supprimer » box (a button when JavaScript runs).
    return forms.formset_factory(
        form_class, extra=extra, max_num=200, validate_max=True, can_delete=True
    )


def filled_rows(formset) -> list[dict]:
    """Rows with at least one valid value, JSON-ready, in the order shown.

    A row with an error keeps its valid fields (the wrong value waits in the application's
    rejected input); a row ticked « Supprimer » is left out."""
    rows = []
    for form in formset.forms:
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        if cleaned.get("DELETE"):
            continue
        data = {k: _json_value(v) for k, v in cleaned.items() if k != "DELETE"}
        if any(v not in (None, "", False) for v in data.values()):
            rows.append(data)
    return rows
