"""The reviewer's forms: the declaration of interests, the review grid, the amendment.

They only collect what the reviewer typed; the rules (who may rate, what a complete review
is, when it locks) are ethics.services'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr
from dsfr.widgets import InlineRadioSelect

from .aggregation import COMPLIANCE, NOT_APPLICABLE
from .models import Criterion, Review
from .models.grids import ANCHORS_0_5

TEXT_MAX = 5000
NO_CONFLICT, CONFLICTED = "none", "conflicted"


class LinkedErrorsMixin:
    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: each error links to its field (the first
        button of a radio group)."""
        links = []
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                links += [("", error) for error in errors]
                continue
            bound = self[name]
            radio = isinstance(bound.field.widget, forms.RadioSelect)
            anchor = f"{bound.auto_id}_0" if radio else bound.auto_id
            links += [(anchor, error) for error in errors]
        return links


class DeclarationForm(LinkedErrorsMixin, DsfrBaseForm):
    conflict = forms.ChoiceField(
        label=_("Votre situation à l'égard de ce dossier"),
        help_text=_(
            "Un lien avec l'organisation candidate, ses dirigeants ou ses partenaires "
            "(emploi, mandat, conseil, intérêt financier, lien familial, collaboration récente) "
            "est un conflit d'intérêts."
        ),
        choices=[
            (NO_CONFLICT, _("Je n'ai pas de conflit d'intérêts")),
            (CONFLICTED, _("Je suis en conflit d'intérêts")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si vous êtes en conflit d'intérêts.")},
    )
    reason = forms.CharField(
        label=_("Nature du conflit d'intérêts"),
        help_text=_(
            "Obligatoire si vous êtes en conflit d'intérêts. Lu par l'équipe du programme."
        ),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") == CONFLICTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Précisez la nature du conflit d'intérêts."))
        return data

    @property
    def conflicted(self) -> bool:
        return self.cleaned_data["conflict"] == CONFLICTED


def value_choices(criterion: Criterion) -> list[tuple[str, str]]:
    if criterion.scale == COMPLIANCE:
        choices = [
            ("compliant", _("Conforme")),
            ("partial", _("Partiellement conforme")),
            ("non_compliant", _("Non conforme")),
        ]
    else:
        choices = [(str(n), f"{n} — {anchor}") for n, anchor in ANCHORS_0_5.items()]
    if criterion.allows_not_applicable:
        choices.append((NOT_APPLICABLE, _("Sans objet")))
    return choices


class ReviewForm(LinkedErrorsMixin, DsfrBaseForm):
    """One radio group, comment and evidence box per criterion of the grid, then the overall
    recommendation and summary. Every field is optional here: a draft may be partial, and
    ethics.services.submit says what a complete review lacks."""

    recommendation = forms.ChoiceField(
        label=_("Avis général"),
        choices=Review.Recommendation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Synthèse de votre avis"),
        help_text=_("Points forts, points faibles, réserves et conditions éventuelles."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}"
            self.fields[f"{prefix}_value"] = forms.ChoiceField(
                label=_("Appréciation du critère %(code)s") % {"code": criterion.code},
                choices=value_choices(criterion),
                required=False,
                widget=InlineRadioSelect,
            )
            self.fields[f"{prefix}_comment"] = forms.CharField(
                label=_("Commentaire sur le critère %(code)s") % {"code": criterion.code},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"{prefix}_evidence"] = forms.BooleanField(
                label=_("Éléments de preuve vérifiés (%(code)s)") % {"code": criterion.code},
                required=False,
            )
        # The criteria's fields first, in the grid's order, then the overall opinion.
        self.order_fields([f for f in self.fields if f not in ("recommendation", "summary")])
        # DsfrBaseForm styles the fields it found at its own __init__: style the added ones.
        for name in self.fields:
            dsfr_input_class_attr(self[name])

    @staticmethod
    def initial_from(review: Review) -> dict:
        initial = {"recommendation": review.recommendation, "summary": review.summary}
        for rating in review.ratings.all():
            prefix = f"c{rating.criterion_id}"
            initial[f"{prefix}_value"] = rating.value
            initial[f"{prefix}_comment"] = rating.comment
            initial[f"{prefix}_evidence"] = rating.evidence_checked
        return initial

    def rows(self) -> list[dict]:
        """Per criterion, its bound fields, for the template."""
        return [
            {
                "criterion": criterion,
                "value": self[f"c{criterion.pk}_value"],
                "comment": self[f"c{criterion.pk}_comment"],
                "evidence": self[f"c{criterion.pk}_evidence"],
            }
            for criterion in self.criteria
        ]

    def ratings(self) -> dict[int, dict]:
        """What ethics.services.save_ratings takes."""
        data = self.cleaned_data
        return {
            criterion.pk: {
                "value": data.get(f"c{criterion.pk}_value") or "",
                "comment": (data.get(f"c{criterion.pk}_comment") or "").strip(),
                "evidence_checked": bool(data.get(f"c{criterion.pk}_evidence")),
            }
            for criterion in self.criteria
        }

    def flag_unrated(self) -> None:
        """After ethics.services.submit refused a draft that was just saved, point at what
        was left empty (the service's message says why; this only links each field)."""
        for criterion in self.criteria:
            name = f"c{criterion.pk}_value"
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Appréciez ce critère avant de rendre votre avis."))
        if not self.cleaned_data.get("recommendation") and "recommendation" not in self.errors:
            self.add_error("recommendation", _("Donnez votre avis général."))


class AmendForm(LinkedErrorsMixin, DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif de la modification"),
        help_text=_("Il est conservé avec la nouvelle version de votre avis."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de la modification.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Indiquez le motif de la modification."))
        return reason
