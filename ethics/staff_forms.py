"""Forms of the staff's review pages: assigning experts to one application or to a batch."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from core.forms import IdListField
from core.vocabulary import EXPERT_TRACKS, ReviewTrack


class ReviewerChoiceField(forms.TypedMultipleChoiceField):
    """Offers the experts qualified when the page was drawn, but accepts any user id: the
    page may be stale, and ``services.assign`` says why someone cannot be assigned."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class AssignForm(DsfrBaseForm):
    track = forms.ChoiceField(choices=ReviewTrack.choices, widget=forms.HiddenInput)
    reviewers = ReviewerChoiceField(
        label=gettext_lazy("Experts à affecter"),
        help_text=gettext_lazy(
            "Charge en cours : le nombre d'avis que l'expert doit encore rendre, tous dossiers "
            "confondus. Chaque expert désigné est prévenu par courriel."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Cochez au moins un expert.")},
    )
    due_on = forms.DateField(
        label=gettext_lazy("Avis à rendre le"),
        help_text=gettext_lazy("Facultatif. Format attendu : JJ/MM/AAAA."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, track: str, choices: list[tuple[int, str]], **kwargs):
        kwargs.setdefault("auto_id", f"assign-{track}-%s")
        kwargs.setdefault("initial", {"track": track})
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].choices = choices

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("La date de rendu ne peut pas être passée."))
        return due_on


class BulkAssignForm(DsfrBaseForm):
    track = forms.ChoiceField(
        label=gettext_lazy("Expertise"),
        choices=[
            ("", gettext_lazy("Choisir une expertise")),
            *((t.value, t.label) for t in EXPERT_TRACKS),
        ],
        error_messages={"required": gettext_lazy("Choisissez une expertise.")},
    )
    # Any id is accepted here; the view keeps only the applications staff may work on.
    dossiers = IdListField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "bulk-assign-%s")
        super().__init__(*args, **kwargs)
