"""Forms of the Wagtail admin for review grids and the grids of calls."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from core.formatting import natural_key

from .form_checks import call_definition, grid_problem, missing_from
from .models import CallGrid, CriterionRating, ReviewGrid

GRID_IN_USE = _(
    "Cette grille est utilisée par au moins un avis rendu : elle ne peut plus être modifiée. "
    "Créez-en une nouvelle version (bouton « Créer une nouvelle version ») et modifiez la copie."
)


class ReviewGridForm(WagtailAdminModelForm):
    """A grid and its criteria (inline). A grid in use is frozen; a rated criterion stays."""

    def clean(self):
        cleaned_data = super().clean()
        grid = self.instance
        if grid.pk and grid.is_in_use:
            raise ValidationError(GRID_IN_USE, code="grid_in_use")
        name = cleaned_data.get("name")
        if (
            name
            and ReviewGrid.objects.filter(name=name, version=grid.version)
            .exclude(pk=grid.pk)
            .exists()
        ):
            self.add_error(
                "name",
                _("Une grille porte déjà ce nom dans la version %(version)s.")
                % {"version": grid.version},
            )
        return cleaned_data

    def is_valid(self) -> bool:
        valid = super().is_valid()
        formset = self.formsets.get("criteria")
        if not valid or formset is None:
            return valid
        codes = [
            form.cleaned_data.get("code")
            for form in formset.forms
            if form.cleaned_data and not formset._should_delete_form(form)
        ]
        duplicates = sorted(
            {code for code in codes if code and codes.count(code) > 1}, key=natural_key
        )
        if duplicates:
            self.add_error(
                None,
                _("Chaque critère doit avoir un code différent : %(codes)s.")
                % {"codes": ", ".join(duplicates)},
            )
            return False
        removed = [form.instance for form in formset.deleted_forms if form.instance.pk]
        rated = sorted(
            CriterionRating.objects.filter(criterion__in=removed)
            .values_list("criterion__code", flat=True)
            .distinct(),
            key=natural_key,
        )
        if rated:
            self.add_error(
                None,
                _(
                    "Des experts ont commencé à apprécier ces critères, qui ne peuvent pas être "
                    "supprimés : %(codes)s."
                )
                % {"codes": ", ".join(rated)},
            )
            return False
        return self._check_calls_forms(formset)

    def _check_calls_forms(self, formset) -> bool:
        """Each criterion cites only answers the forms of the calls using the grid have: the
        rule applied when a form is edited (cms.admin_forms), the other way round."""
        if self.instance.pk is None:
            return True
        calls = [
            call_grid.call
            for call_grid in CallGrid.objects.filter(grid=self.instance).select_related("call")
        ]
        definitions = [(call, call_definition(call)) for call in calls]
        valid = True
        for form in formset.forms:
            if not form.cleaned_data or formset._should_delete_form(form):
                continue
            cited = form.cleaned_data.get("evidence_keys") or []
            for call, definition in definitions:
                if missing := missing_from(cited, definition):
                    form.add_error(
                        "evidence_keys",
                        _("Le formulaire de l'appel « %(call)s » n'a pas ces réponses : %(keys)s.")
                        % {"call": call.title, "keys": ", ".join(missing)},
                    )
                    valid = False
        if not valid:
            self.add_error(
                None,
                _(
                    "Des critères citent des réponses absentes du formulaire d'un appel qui "
                    "utilise cette grille : rien n'a été enregistré."
                ),
            )
        return valid


class CallGridForm(WagtailAdminModelForm):
    """The grid of one track of a call, with the call's own weights."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "grid" in self.fields:
            # The newest version of each grid, and the one already chosen.
            self.fields["grid"].queryset = ReviewGrid.objects.filter(
                Q(next_version__isnull=True) | Q(pk=self.instance.grid_id)
            )

    def clean(self):
        cleaned_data = super().clean()
        call, grid = cleaned_data.get("call"), cleaned_data.get("grid")
        if call is not None and grid is not None:
            if not call.requires_track(grid.track):
                self.add_error(
                    "grid",
                    _("L'appel ne prévoit pas l'expertise « %(track)s ».")
                    % {"track": grid.get_track_display()},
                )
            elif (
                CallGrid.objects.filter(call=call, grid__track=grid.track)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "grid",
                    _("L'appel a déjà une grille pour l'expertise « %(track)s ».")
                    % {"track": grid.get_track_display()},
                )
            elif problem := grid_problem(grid, call_definition(call)):
                self.add_error("grid", problem)
        weights = cleaned_data.get("weights")
        if grid is not None and weights is not None:
            self._check_weights(grid, weights)
        return cleaned_data

    def _check_weights(self, grid: ReviewGrid, weights) -> None:
        if not isinstance(weights, dict):
            self.add_error("weights", _('Donnez un objet JSON, par exemple {"E1": 2, "E3": 4}.'))
            return
        codes = set(grid.criteria.values_list("code", flat=True))
        unknown = sorted((code for code in weights if code not in codes), key=natural_key)
        if unknown:
            self.add_error(
                "weights",
                _("Codes absents de la grille : %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        invalid = sorted(
            (
                code
                for code, weight in weights.items()
                if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0
            ),
            key=natural_key,
        )
        if invalid:
            self.add_error(
                "weights",
                _("Les pondérations sont des nombres entiers positifs : %(codes)s.")
                % {"codes": ", ".join(invalid)},
            )
