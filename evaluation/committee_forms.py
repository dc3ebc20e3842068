"""Forms of the selection committee's pages: a session (its call, relève and members) and a
decision (outcome, motivation, amount granted)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from cms.models import CallCutoff, CallPage
from core.formatting import grouped_amount
from core.roles import COMMITTEE_GROUP
from grants.models import Application

from .models import CommitteeDecision, CommitteeSession

Outcome = CommitteeDecision.Outcome


def person_label(user) -> str:
    name = user.get_full_name().strip()
    if name and user.email:
        return f"{name} ({user.email})"
    return name or user.email or user.get_username()


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class CallField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class SessionForm(DsfrBaseForm, forms.ModelForm):
    call = CallField(label=gettext_lazy("Appel à projets"), queryset=CallPage.objects.none())
    members = MembersField(
        label=gettext_lazy("Membres du comité"),
        help_text=gettext_lazy("Parmi les personnes du groupe « Comité de sélection »."),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choisissez au moins un membre.")},
    )

    class Meta:
        model = CommitteeSession
        fields = ["call", "cutoff", "title", "held_on", "members"]
        labels = {
            "title": gettext_lazy("Intitulé de la séance"),
            "held_on": gettext_lazy("Date"),
            "cutoff": gettext_lazy("Relève examinée (facultatif)"),
        }
        help_texts = {"cutoff": gettext_lazy("Vide : tous les dossiers de l'appel au comité.")}
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The calls the user runs; applications belong to the French call, never to its
        # translation.
        self.fields["call"].queryset = CallPage.objects.run_by(user).references().order_by("title")
        self.fields["cutoff"].queryset = (
            CallCutoff.objects.filter(call__in=self.fields["call"].queryset.values("pk"), stage=1)
            .select_related("call")
            .order_by("call__title", "closes_at")
        )
        self.fields["cutoff"].label_from_instance = lambda c: f"{c.call.title} — {c}"
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(groups__name=COMMITTEE_GROUP, is_active=True)
            .order_by("last_name", "first_name", "email")
            .distinct()
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        call, cutoff = cleaned.get("call"), cleaned.get("cutoff")
        if call and cutoff and cutoff.call_id != call.pk:
            self.add_error("cutoff", _("Cette relève n'est pas une relève de l'appel choisi."))
        return cleaned


class AmountField(forms.DecimalField):
    """Accepts « 250 000 », « 250000,50 » or « 250000.50 »."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace("€", "")
        return super().to_python(value)


class DecisionForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez la décision.")},
    )
    motivation = forms.CharField(
        label=gettext_lazy("Motivation"),
        help_text=gettext_lazy(
            "Obligatoire. Elle figure en tête du courrier adressé au candidat s'il n'est pas "
            "retenu."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("La motivation de la décision est obligatoire.")},
    )
    amount = AmountField(
        label=gettext_lazy("Montant accordé (€)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": gettext_lazy("Saisissez un montant en euros, par exemple 150 000.")
        },
    )

    def __init__(self, *args, application: Application, **kwargs):
        kwargs.setdefault("prefix", f"decision-{application.pk}")
        kwargs.setdefault("initial", {"amount": application.amount_requested})
        super().__init__(*args, **kwargs)
        self.application = application
        call = application.call
        # The bound field is already built (DsfrBaseForm styles the widgets): set both.
        self.fields["amount"].help_text = self["amount"].help_text = _(
            "Obligatoire si le projet est retenu. Au plus le montant demandé et le plafond de "
            "l'appel (%(cap)s €) ; prérempli avec le montant demandé."
        ) % {"cap": grouped_amount(call.max_amount_per_project or 0)}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == Outcome.SELECTED
            and cleaned.get("amount") is None
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("Indiquez le montant accordé au projet retenu."))
        return cleaned
