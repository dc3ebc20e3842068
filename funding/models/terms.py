"""What a call sets for the projects it funds, edited by staff in the Wagtail admin: the
convention's template (rich text with placeholders), the default payment schedule, the share
paid as a repayable advance, and the indicators every beneficiary reports on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from ..default_template import DEFAULT_TEMPLATE
from ..placeholders import unknown_placeholders

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class FundingTerms(ClusterableModel):
    call = models.OneToOneField(
        "cms.CallPage",
        verbose_name=_("appel à projets"),
        on_delete=models.CASCADE,
        related_name="funding_terms",
    )
    agreement_template = RichTextField(
        _("modèle de convention"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        default=DEFAULT_TEMPLATE,
        help_text=_(
            "Texte de la convention. Les champs entre doubles accolades sont remplacés à la "
            "génération, par exemple {{ beneficiaire }}, {{ montant_total }}, {{ echeancier }}."
        ),
    )
    grant_percent = models.PositiveSmallIntegerField(
        _("part versée en subvention (%)"),
        default=100,
        validators=PERCENT,
        help_text=_("Le reste de l'aide est une avance remboursable en cas de succès."),
    )
    advance_payment_percent = models.PositiveSmallIntegerField(
        _("avance versée à la signature (% de l'aide)"), default=30, validators=PERCENT
    )
    balance_percent = models.PositiveSmallIntegerField(
        _("solde versé après le rapport final (% de l'aide)"), default=20, validators=PERCENT
    )
    progress_reports = models.PositiveSmallIntegerField(
        _("rapports d'étape (chacun libère un versement intermédiaire)"),
        default=1,
        validators=[MaxValueValidator(6)],
    )
    final_report_months = models.PositiveSmallIntegerField(
        _("délai du rapport final après la fin du projet (mois)"), default=2
    )
    repayment_instalments = models.PositiveSmallIntegerField(
        _("échéances annuelles de remboursement de l'avance"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    repayment_starts_months = models.PositiveSmallIntegerField(
        _("première échéance de remboursement après la fin du projet (mois)"), default=12
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("rappel des rapports (jours avant l'échéance)"),
        default=14,
        validators=[MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("conditions de financement d'un appel")
        verbose_name_plural = _("conditions de financement des appels")

    def __str__(self) -> str:
        return str(self.call)

    @property
    def advance_percent(self) -> int:
        """The share of the aid paid as a repayable advance."""
        return 100 - self.grant_percent

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if (self.advance_payment_percent or 0) + (self.balance_percent or 0) > 100:
            errors["balance_percent"] = [
                _("L'avance à la signature et le solde dépassent ensemble 100 % de l'aide.")
            ]
        unknown = unknown_placeholders(self.agreement_template or "")
        if unknown:
            errors["agreement_template"] = [
                _("Champs inconnus dans le modèle : %(names)s.") % {"names": ", ".join(unknown)}
            ]
        if errors:
            raise ValidationError(errors)


class Indicator(Orderable):
    """An indicator of the call: every beneficiary reports its value, against the target."""

    terms = ParentalKey(FundingTerms, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicateur"), max_length=150)
    unit = models.CharField(
        _("unité"), max_length=40, help_text=_("Par exemple : patients, sites.")
    )
    target = models.DecimalField(
        _("cible par projet"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"
