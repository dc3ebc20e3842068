"""Forms of the jury hearings: a session, its slots, booking and moving an application, the
applicant's answer and the team's attendance. Rules are evaluation.hearings'; these only
validate what people type."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from cms.models import CallPage
from core.formatting import paris_instant
from core.roles import (
    COMMITTEE_GROUP,
    JURY_GROUP,
    PROGRAMME_STAFF_GROUP,
    PROGRAMME_WIDE_GROUP,
    REVIEWERS_GROUP,
)

from .models import HearingInvitation, HearingSession, HearingSlot

JURY_POOL_GROUPS = [
    JURY_GROUP,
    REVIEWERS_GROUP,
    PROGRAMME_STAFF_GROUP,
    PROGRAMME_WIDE_GROUP,
    COMMITTEE_GROUP,
]


def person_label(user) -> str:
    name = user.get_full_name().strip()
    return f"{name} ({user.email})" if name and user.email else name or user.email


def jury_pool():
    """Who may sit on a jury: the programme's staff, experts, committee members and the
    people of the « Jurys d'audition » group."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=JURY_POOL_GROUPS, is_active=True)
        .order_by("last_name", "first_name", "email")
        .distinct()
    )


class JuryField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


def _jury_field() -> JuryField:
    return JuryField(
        label=gettext_lazy("Jury"),
        help_text=gettext_lazy(
            "Trois à cinq personnes en général : l'opérateur, des experts extérieurs, les "
            "ministères. Chacune est désignée sur l'audition de chaque dossier de la séance."
        ),
        queryset=jury_pool(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choisissez au moins un membre du jury.")},
    )


class HearingSessionForm(DsfrBaseForm, forms.ModelForm):
    call = forms.ModelChoiceField(
        label=gettext_lazy("Appel à projets"), queryset=CallPage.objects.none()
    )
    video_link = forms.URLField(
        label=gettext_lazy("Lien de visioconférence"), required=False, assume_scheme="https"
    )

    class Meta:
        model = HearingSession
        fields = ["call", "title", "held_on", "place", "video_link"]
        labels = {"title": gettext_lazy("Intitulé de la séance")}
        help_texts = {"place": gettext_lazy("Ou le lien de visioconférence, ou les deux.")}
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jury"] = _jury_field()
        self.fields["call"].queryset = calls.order_by("title")
        self.fields["call"].label_from_instance = lambda call: call.title

    def clean(self) -> dict:
        cleaned = super().clean()
        missing = not (cleaned.get("place") or "").strip() and not cleaned.get("video_link")
        if missing and "video_link" not in self.errors:
            self.add_error("place", gettext_lazy("Indiquez le lieu ou le lien de visioconférence."))
        return cleaned


class JuryForm(DsfrBaseForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "jury-%s")
        super().__init__(*args, **kwargs)
        self.fields["jury"] = _jury_field()


class SlotsForm(DsfrBaseForm):
    first_start = forms.DateTimeField(
        label=gettext_lazy("Début du premier créneau (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration = forms.IntegerField(
        label=gettext_lazy("Durée d'un créneau (minutes)"), min_value=5, max_value=240, initial=45
    )
    gap = forms.IntegerField(
        label=gettext_lazy("Pause entre deux créneaux (minutes)"),
        min_value=0,
        max_value=120,
        initial=15,
    )
    count = forms.IntegerField(
        label=gettext_lazy("Nombre de créneaux"), min_value=1, max_value=40, initial=4
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "slots-%s")
        super().__init__(*args, **kwargs)


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HearingSlot) -> str:
        return paris_instant(obj.starts_at)


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.reference} — {obj.project_title or obj.organisation.legal_name}"


class InviteForm(DsfrBaseForm):
    application = ApplicationChoiceField(
        label=gettext_lazy("Dossier à convoquer"), queryset=None, empty_label=None
    )
    slot = SlotChoiceField(label=gettext_lazy("Créneau libre"), queryset=None, empty_label=None)

    def __init__(self, *args, applications, slots, **kwargs):
        kwargs.setdefault("auto_id", "invite-%s")
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        # Any slot of the session: one taken meanwhile is refused by the database, with words.
        self.fields["slot"].queryset = slots


class MoveForm(DsfrBaseForm):
    invitation = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    slot = SlotChoiceField(label=gettext_lazy("Nouveau créneau"), queryset=None, empty_label=None)

    def __init__(self, *args, invitations, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = invitations
        self.fields["slot"].queryset = slots


class AnswerForm(DsfrBaseForm):
    reason = forms.CharField(
        label=gettext_lazy("Pourquoi ce créneau ne vous convient-il pas ?"),
        help_text=gettext_lazy(
            "Indiquez aussi vos disponibilités : l'équipe vous propose un autre créneau."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Expliquez pourquoi ce créneau ne vous convient pas.")
        },
    )


class AttendanceForm(DsfrBaseForm):
    attendance = forms.ChoiceField(
        label=gettext_lazy("Présence de l'équipe candidate"),
        choices=[c for c in HearingInvitation.Attendance.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez : présent, absent ou excusé.")},
    )
