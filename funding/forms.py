"""Forms of the follow-up: signing, recording payments and repayments, amendments, ending a
convention, writing and judging reports, approving the public sheet."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .amounts import cents_label, euros, to_cents

TEXT_MAX = 5000


class AmountField(forms.DecimalField):
    """Euros typed with a comma or a point, stored in cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)


class SignatureForm(DsfrBaseForm):
    ONLINE, UPLOAD = "online", "upload"
    method = forms.ChoiceField(
        label=_("Mode de signature"),
        choices=[(ONLINE, _("Signer dans Ruche")), (UPLOAD, _("Déposer le PDF signé"))],
        widget=forms.RadioSelect,
        initial=ONLINE,
    )
    signer_name = forms.CharField(label=_("Nom et prénom du signataire"), max_length=200)
    signer_role = forms.CharField(
        label=_("Qualité du signataire"),
        max_length=200,
        help_text=_("Par exemple : président, directrice générale."),
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    password = forms.CharField(
        label=_("Votre mot de passe, ou le code de votre application d'authentification"),
        help_text=_("Pour une signature dans Ruche : il confirme que c'est bien vous."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    signed_file = forms.FileField(
        label=_("PDF signé"),
        help_text=_("Pour un dépôt : le document signé, au format PDF."),
        required=False,
    )
    agree = forms.BooleanField(
        label=_("J'ai lu le document et je le signe au nom de l'organisation que je représente.")
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == self.ONLINE and not data.get("password"):
            self.add_error("password", _("Saisissez votre mot de passe ou votre code."))
        if data.get("method") == self.UPLOAD and not data.get("signed_file"):
            self.add_error("signed_file", _("Joignez le PDF signé."))
        return data


class PaymentForm(DsfrBaseForm):
    tranche = forms.TypedChoiceField(label=_("Tranche"), coerce=int)
    amount = AmountField(label=_("Montant versé (€)"), min_value=0.01)
    paid_on = forms.DateField(
        label=_("Date du versement"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Référence du virement"), max_length=100)
    note = forms.CharField(label=_("Commentaire"), max_length=500, required=False)

    def __init__(self, *args, payable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].choices = [
            (t.pk, f"{t.get_kind_display()} n° {t.order}") for t, _left in payable
        ]
        if payable and not self.is_bound:
            self.initial.setdefault("tranche", payable[0][0].pk)
            self.initial.setdefault("amount", euros(payable[0][1]))
            self.initial.setdefault("paid_on", timezone.localdate())

    @property
    def cents(self) -> int:
        return to_cents(self.cleaned_data["amount"])


class PaymentReversalForm(DsfrBaseForm):
    """Cancel a mistaken payment, with its reason. The list offers the payments not yet
    cancelled; any payment of the convention is accepted, so that a second cancellation sent
    from a stale page (or of a cancellation) reaches the service and is refused with its
    reason."""

    payment = forms.TypedChoiceField(label=_("Versement à annuler"), coerce=int)
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Motivez l'annulation du versement.")},
    )

    def __init__(self, *args, payments=(), reversed_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].choices = [(p.pk, payment_label(p)) for p in payments]
        self.fields["payment"].widget.choices = [
            (p.pk, payment_label(p))
            for p in payments
            if not p.reverses_id and p.pk not in reversed_ids
        ]


def payment_label(payment) -> str:
    return f"{payment.paid_on:%d/%m/%Y} — {cents_label(payment.amount_cents)} — {payment.reference}"


class RepaymentForm(DsfrBaseForm):
    amount = AmountField(label=_("Montant remboursé (€)"), min_value=0.01)
    received_on = forms.DateField(
        label=_("Date de réception"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Référence"), max_length=100)


class AmendmentForm(DsfrBaseForm):
    grant = AmountField(label=_("Part en subvention (€)"))
    advance = AmountField(label=_("Part en avance remboursable (€)"))
    duration_months = forms.IntegerField(label=_("Durée (mois)"), min_value=1, max_value=120)
    reason = forms.CharField(
        label=_("Motif de l'avenant"), widget=forms.Textarea, max_length=TEXT_MAX
    )


class ReasonForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea, max_length=TEXT_MAX)


class CloseForm(DsfrBaseForm):
    note = forms.CharField(
        label=_("Note de clôture"), widget=forms.Textarea, max_length=TEXT_MAX, required=False
    )
    advance_waived = forms.BooleanField(
        label=_("Le projet n'a pas abouti : l'avance n'est pas à rembourser"), required=False
    )


class StartForm(DsfrBaseForm):
    start = forms.DateField(
        label=_("Date de prise d'effet"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportDecisionForm(DsfrBaseForm):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("accept", _("Accepter le rapport")),
            ("changes", _("Demander des modifications")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire au bénéficiaire"),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        required=False,
    )


class PublicProgressForm(DsfrBaseForm):
    show_status = forms.BooleanField(
        label=_("Afficher l'état du projet (en cours, terminé, arrêté) sur sa fiche publique"),
        required=False,
    )
    show_indicators = forms.BooleanField(
        label=_("Publier les indicateurs du dernier rapport accepté"), required=False
    )
    results = forms.CharField(
        label=_("Résultats publiés"), widget=forms.Textarea, max_length=3000, required=False
    )


class ReportForm(DsfrBaseForm):
    """The narrative and files; indicator fields are added per call."""

    narrative = forms.CharField(
        label=_("Compte rendu"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        required=False,
    )
    files = forms.FileField(
        label=_("Pièces justificatives"),
        help_text=_("PDF, XLSX ou ODS ; dix fichiers au plus."),
        required=False,
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            target = f" — {_('cible')} {indicator.target}" if indicator.target is not None else ""
            self.fields[f"indicator_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.name} ({indicator.unit}){target}",
                required=False,
                max_length=30,
            )

    def values(self) -> dict[str, str]:
        return {
            str(i.pk): self.cleaned_data.get(f"indicator_{i.pk}") or "" for i in self.indicators
        }
