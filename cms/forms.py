"""Admin form of the call page: the rules that span the page and its inline lists."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .admin_forms import hooked_problems

FIRST_STAGE = 1


def _kept_forms(formset) -> list:
    """Inline forms that will be saved: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class CallPageForm(WagtailAdminPageForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        opens_at = cleaned.get("opens_at")

        cutoffs = _kept_forms(self.formsets["cutoffs"])
        if not any(f.cleaned_data.get("stage") == FIRST_STAGE for f in cutoffs):
            self.add_error(None, _("Indiquez au moins une relève de dépôt."))
        for form in cutoffs:
            closes_at = form.cleaned_data.get("closes_at")
            if opens_at and closes_at and closes_at <= opens_at:
                form.add_error("closes_at", _("Une relève doit suivre l'ouverture de l'appel."))
                self.add_error(None, _("Une relève précède l'ouverture de l'appel."))

        chosen = cleaned.get("application_form")
        if chosen is not None and self.instance.pk:
            # The grids already attached cite answers the chosen form must have.
            for problem in hooked_problems(self.instance, chosen.definition()):
                self.add_error("application_form", problem)

        tracks = [f.cleaned_data.get("track") for f in _kept_forms(self.formsets["review_tracks"])]
        if len(tracks) != len(set(tracks)):
            self.add_error(None, _("Chaque expertise ne peut figurer qu'une fois."))

        weights = [
            f.cleaned_data.get("weight") or 0 for f in _kept_forms(self.formsets["criteria"])
        ]
        if weights and sum(weights) != 100:
            self.add_error(
                None,
                ValidationError(
                    _("Les pondérations des critères totalisent %(total)s %% au lieu de 100 %%."),
                    params={"total": sum(weights)},
                ),
            )
        return cleaned
