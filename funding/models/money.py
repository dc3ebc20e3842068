"""The money of a convention: its ledger, the planned tranches, the payments made, and the
repayable advance's schedule and repayments. Amounts are whole cents (``funding.amounts``).

The database itself refuses paying more than was granted: triggers (migration 0002) add every
payment and repayment inserted or changed to the convention's ``Ledger`` row, whose check
constraints bound the totals. Two payments recorded at once update that one row in turn, so
the second sees the first's total and is refused if together they exceed the grant, whatever
the code that inserted them. Payments are never changed nor deleted: a mistake is reversed
by a negative payment that names it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..amounts import euros


class AppendOnly(Exception):
    """Payments and repayments are corrected by new rows, never changed or deleted."""


class Ledger(models.Model):
    """A convention's totals. The caps are the terms in force (an amendment changes them);
    the paid totals are written by the database's triggers only."""

    convention = models.OneToOneField(
        "funding.Convention", primary_key=True, on_delete=models.PROTECT, related_name="ledger"
    )
    grant_cents = models.BigIntegerField()
    advance_cents = models.BigIntegerField()
    paid_grant_cents = models.BigIntegerField(default=0, editable=False)
    paid_advance_cents = models.BigIntegerField(default=0, editable=False)
    repaid_cents = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("grand livre de la convention")
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_grant_cents__gte=0, paid_grant_cents__lte=F("grant_cents")),
                name="paid_grant_within_grant",
            ),
            models.CheckConstraint(
                condition=Q(paid_advance_cents__gte=0, paid_advance_cents__lte=F("advance_cents")),
                name="paid_advance_within_advance",
            ),
            models.CheckConstraint(
                condition=Q(repaid_cents__gte=0, repaid_cents__lte=F("paid_advance_cents")),
                name="repaid_within_paid_advance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention_id}"

    @property
    def granted_cents(self) -> int:
        return self.grant_cents + self.advance_cents

    @property
    def paid_cents(self) -> int:
        return self.paid_grant_cents + self.paid_advance_cents

    @property
    def outstanding_cents(self) -> int:
        """The advance paid out and not yet repaid."""
        return self.paid_advance_cents - self.repaid_cents


class Tranche(models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Avance à la signature")
        INTERMEDIATE = "intermediate", _("Versement intermédiaire")
        BALANCE = "balance", _("Solde")

    convention = models.ForeignKey(
        "funding.Convention", on_delete=models.PROTECT, related_name="tranches"
    )
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The milestone whose accepted report releases the tranche (none for the advance).
    milestone = models.OneToOneField(
        "funding.Milestone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tranche",
    )
    grant_cents = models.BigIntegerField()
    advance_cents = models.BigIntegerField()

    class Meta:
        ordering = ["convention", "order"]
        verbose_name = _("tranche de versement")
        verbose_name_plural = _("tranches de versement")

    def __str__(self) -> str:
        return f"{self.convention_id} #{self.order} {self.kind}"

    @property
    def planned_cents(self) -> int:
        return self.grant_cents + self.advance_cents

    @property
    def planned(self):
        return euros(self.planned_cents)


class Payment(models.Model):
    convention = models.ForeignKey(
        "funding.Convention", on_delete=models.PROTECT, related_name="payments"
    )
    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="payments")
    grant_cents = models.BigIntegerField()
    advance_cents = models.BigIntegerField()
    paid_on = models.DateField(_("date du versement"))
    reference = models.CharField(_("référence du virement"), max_length=100)
    note = models.CharField(_("commentaire"), max_length=500, blank=True)
    # A correction: this row cancels the payment it names, with the opposite amounts.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reverses__isnull=True, grant_cents__gte=0, advance_cents__gte=0)
                    | Q(reverses__isnull=False, grant_cents__lte=0, advance_cents__lte=0)
                ),
                name="payment_positive_or_reversal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.convention_id} {self.paid_on} {self.amount_cents}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnly("A payment is corrected by a reversal, never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A payment is corrected by a reversal, never deleted.")

    @property
    def amount_cents(self) -> int:
        return self.grant_cents + self.advance_cents

    @property
    def amount(self):
        return euros(self.amount_cents)


class RepaymentInstalment(models.Model):
    """A planned repayment of the advance."""

    convention = models.ForeignKey(
        "funding.Convention", on_delete=models.PROTECT, related_name="repayment_instalments"
    )
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("échéance"))
    cents = models.BigIntegerField()

    class Meta:
        ordering = ["convention", "number"]
        verbose_name = _("échéance de remboursement")
        verbose_name_plural = _("échéances de remboursement")

    def __str__(self) -> str:
        return f"{self.convention_id} #{self.number}"

    @property
    def amount(self):
        return euros(self.cents)


class Repayment(models.Model):
    convention = models.ForeignKey(
        "funding.Convention", on_delete=models.PROTECT, related_name="repayments"
    )
    cents = models.BigIntegerField()
    received_on = models.DateField(_("date de réception"))
    reference = models.CharField(_("référence"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        constraints = [models.CheckConstraint(condition=Q(cents__gt=0), name="repayment_positive")]

    def __str__(self) -> str:
        return f"{self.convention_id} {self.received_on} {self.cents}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnly("A repayment is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A repayment is never deleted.")

    @property
    def amount(self):
        return euros(self.cents)
