"""Forms of the workflow: the queue filters, firing a transition (one application or a
batch), recording a stage override; the applicant's answer to a request for information."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from cms.models import CallCutoff, CallPage
from core.forms import IdListField
from core.vocabulary import ReviewTrack
from grants.uploads import accepted_formats_label, inspect_upload

from . import roles
from .information import ANSWER_FORMATS, MAX_FILES_PER_ANSWER
from .lead_officers import call_staff
from .queries import (
    COLUMNS,
    DEFAULT_SORT,
    DEFAULT_STATE,
    FILTER_TRACKS,
    QUEUE_STATES,
    QueueFilters,
)
from .services import TRANSITION_LABELS, AvailableTransition
from .workflow import ApplicationWorkflow

COMMENT_MAX = 5000
# Transitions with their own form elsewhere: asking for information stores the question as an
# InformationRequest (evaluation.information.ask), which the applicant's answer then closes;
# shortlisting stores its decision and opens the full application (evaluation.shortlisting).
DEDICATED_FLOWS = frozenset({"request_information", "shortlist", "decline_shortlist"})


def cutoff_choices(user) -> list[tuple[int, str]]:
    """The first-stage relèves of the calls ``user`` runs, by call then date."""
    cutoffs = (
        CallCutoff.objects.filter(
            call__in=CallPage.objects.run_by(user).references().values("pk"), stage=1
        )
        .select_related("call")
        .order_by("call__title", "closes_at")
    )
    return [(c.pk, f"{c.call.title} — {c}") for c in cutoffs]


class QueueFilterForm(DsfrBaseForm):
    """The queue's filters, read from the query string (GET): every field is optional and an
    invalid value is ignored rather than refused."""

    etat = forms.ChoiceField(
        label=_("État"),
        choices=[(s.value, s.label) for s in QUEUE_STATES],
        required=False,
        widget=forms.HiddenInput,
    )
    recherche = forms.CharField(
        label=_("Rechercher"),
        help_text=_("Titre du projet, nom de l'organisation ou référence du dossier."),
        required=False,
        max_length=200,
    )
    appel = forms.TypedChoiceField(label=_("Appel"), coerce=int, required=False, empty_value=None)
    releve = forms.TypedChoiceField(label=_("Relève"), coerce=int, required=False, empty_value=None)
    expertise = forms.ChoiceField(
        label=_("Expertise requise par l'appel"),
        choices=[("", _("Toutes")), *((t.value, t.label) for t in map(ReviewTrack, FILTER_TRACKS))],
        required=False,
    )
    en_retard = forms.BooleanField(label=_("En retard seulement"), required=False)
    mes_dossiers = forms.BooleanField(
        label=_("Mes dossiers seulement"),
        help_text=_("Les dossiers dont je suis le chargé de mission référent."),
        required=False,
    )
    non_lus = forms.BooleanField(
        label=_("Messages non lus seulement"),
        help_text=_("Les dossiers où le candidat ou un collègue a écrit depuis votre lecture."),
        required=False,
    )
    tri = forms.CharField(required=False, widget=forms.HiddenInput)
    colonnes = forms.MultipleChoiceField(
        label=_("Colonnes affichées"),
        choices=[(key, label) for key, (label, _field) in COLUMNS.items() if key != "reference"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, overdue_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        # The calls this user runs, one entry per call: applications belong to the French
        # original, not its translation.
        calls = (
            CallPage.objects.run_by(user).references().order_by("title").values_list("pk", "title")
        )
        self.fields["appel"].choices = [("", _("Tous les appels")), *calls]
        self.fields["releve"].choices = [("", _("Toutes les relèves")), *cutoff_choices(user)]
        self.fields["en_retard"].help_text = _(
            "Dans le même état depuis plus de %(days)s jours."
        ) % {"days": overdue_days}

    def filters(self) -> QueueFilters:
        """The valid values; an invalid one falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return QueueFilters(
            status=data.get("etat") or DEFAULT_STATE,
            call_id=data.get("appel"),
            cutoff_id=data.get("releve"),
            track=data.get("expertise") or "",
            overdue=bool(data.get("en_retard")),
            search=data.get("recherche") or "",
            mine=bool(data.get("mes_dossiers")),
            unread=bool(data.get("non_lus")),
            sort=data.get("tri") or DEFAULT_SORT,
        )

    def columns(self) -> list[str]:
        """The columns to show: the reference always, the others as ticked (all by default)."""
        # The relève is a filter first; as a column it is offered, not shown by default, so the
        # queue still fits a 1280 px screen.
        chosen = getattr(self, "cleaned_data", {}).get("colonnes") or [
            key for key in COLUMNS if key != "releve"
        ]
        return [key for key in COLUMNS if key == "reference" or key in chosen]


def _comment_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TransitionChoiceField(forms.ChoiceField):
    """Offers the transitions available when the page was drawn, but accepts any transition of
    the workflow: the page may be stale, and ``services.fire`` judges at the instant of firing
    (and says so when someone else moved the application meanwhile)."""

    def valid_value(self, value) -> bool:
        return value in TRANSITION_LABELS and value not in DEDICATED_FLOWS


class TransitionForm(DsfrBaseForm):
    """The transitions this user may fire now, as radio buttons. Whether a comment is required
    is the workflow's rule: it refuses with its own message when one is missing."""

    transition = TransitionChoiceField(
        label=_("Action"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une action.")},
    )
    comment = _comment_field(
        _("Commentaire"),
        _("Obligatoire pour la plupart des actions : il est conservé dans l'historique."),
    )
    # The state the user saw; if it changed since, ``fire`` does nothing and says so.
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, transitions: list[AvailableTransition], **kwargs):
        kwargs.setdefault("auto_id", "transition-%s")  # ids distinct from the override form's
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [
            (t.name, t.label) for t in transitions if t.name not in DEDICATED_FLOWS
        ]


def staff_transitions_from(status: str) -> list[tuple[str, str]]:
    """The transitions programme staff may fire from ``status``, whatever the application's
    own conditions (they are checked for each application when fired): the batch actions."""
    field = ApplicationWorkflow._meta.get_field("status")
    names = [
        t.name
        for t in field.get_all_transitions(ApplicationWorkflow)
        if t.source == status
        and t.permission is roles.is_programme_staff
        and t.name not in DEDICATED_FLOWS
    ]
    return [(name, str(TRANSITION_LABELS.get(name, name))) for name in dict.fromkeys(names)]


class BulkTransitionForm(DsfrBaseForm):
    """One transition with one comment, fired on each selected application of a queue
    (``status``: the state the queue page showed)."""

    transition = forms.ChoiceField(label=_("Action à appliquer aux dossiers cochés"))
    comment = _comment_field(_("Commentaire commun"))
    expected_status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in QUEUE_STATES], widget=forms.HiddenInput
    )
    # Any id is accepted here; the view keeps only the applications staff may work on.
    dossiers = IdListField()

    def __init__(self, *args, status: str, **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [
            ("", _("Choisir une action")),
            *staff_transitions_from(status),
        ]


class StageOverrideForm(DsfrBaseForm):
    """Let an application leave a review stage that is not complete, with a justification."""

    justification = forms.CharField(
        label=_("Justification de la dérogation"),
        help_text=_("Obligatoire : elle figure dans l'historique du dossier."),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("La dérogation doit être justifiée par écrit.")},
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "override-%s")
        super().__init__(*args, **kwargs)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name().strip() or obj.email or obj.get_username()


class LeadOfficerForm(DsfrBaseForm):
    """Name the application's lead officer among the staff who run its call."""

    officer = OfficerChoiceField(
        label=_("Chargé de mission référent"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— Aucun —"),
    )

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault("auto_id", "lead-%s")
        kwargs.setdefault("initial", {"officer": application.lead_officer_id})
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = call_staff(application)
        self._bound_fields_cache.clear()


# -- The applicant's answer to a request for information -----------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(DsfrBaseForm):
    text = forms.CharField(
        label=gettext_lazy("Votre réponse"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    keep = forms.MultipleChoiceField(
        label=gettext_lazy("Fichiers déjà joints, conservés dans la nouvelle version"),
        help_text=gettext_lazy("Décochez un fichier pour le retirer de votre réponse."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(label=gettext_lazy("Ajouter des fichiers"), required=False)
    # The version the applicant saw: another member's save in between is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, latest=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", latest.version if latest else 0)
        if latest is not None:
            kwargs["initial"].setdefault("text", latest.text)
        super().__init__(*args, **kwargs)
        previous = list(latest.files.all()) if latest else []
        if previous:
            self.fields["keep"].choices = [
                (str(f.pk), f"{f.original_name} ({filesizeformat(f.size)})") for f in previous
            ]
            self.initial.setdefault("keep", [str(f.pk) for f in previous])
        else:
            del self.fields["keep"]
        widget = self.fields["files"].widget
        widget.attrs.update(
            {
                "class": "fr-upload",
                "accept": ",".join(f".{kind.value}" for kind in ANSWER_FORMATS),
            }
        )
        widget.group_class = "fr-upload-group"
        self.fields["files"].help_text = _(
            "Formats acceptés : %(formats)s. Taille maximale : %(size)s Mo par fichier, "
            "%(count)d fichiers au plus. Vous pouvez en choisir plusieurs à la fois."
        ) % {
            "formats": accepted_formats_label(ANSWER_FORMATS),
            "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "count": MAX_FILES_PER_ANSWER,
        }
        # DsfrBaseForm built the bound fields before the changes above: build them again.
        self._bound_fields_cache.clear()

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_PER_ANSWER:
            raise ValidationError(
                _("Joignez au plus %(n)d fichiers à une réponse.") % {"n": MAX_FILES_PER_ANSWER}
            )
        errors = []
        for upload in files:
            try:
                inspect_upload(upload, ANSWER_FORMATS, settings.ATTACHMENT_MAX_BYTES)
            except ValidationError as error:
                for message in error.messages:
                    errors.append(
                        ValidationError(
                            _("« %(name)s » : %(message)s")
                            % {"name": upload.name, "message": message}
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return files
