"""Stage overrides and the selection committee: sessions and their decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StageOverride(models.Model):
    """Staff let an application leave a review stage that is not complete or failed a
    blocking criterion. The written justification is mandatory and shown in the history."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="stage_overrides"
    )
    stage = models.CharField(_("étape"), max_length=30)
    justification = models.TextField(_("justification"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dérogation d'étape")
        verbose_name_plural = _("dérogations d'étape")

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage}"


class CommitteeSession(models.Model):
    """A meeting of the selection committee for a call."""

    call = models.ForeignKey(
        "cms.CallPage", on_delete=models.PROTECT, related_name="committee_sessions"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    held_on = models.DateField(_("date"))
    # A session may examine one relève only (applications are examined relève by relève).
    cutoff = models.ForeignKey(
        "cms.CallCutoff",
        verbose_name=_("relève examinée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_sessions",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="committee_sessions", verbose_name=_("membres")
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("séance du comité")
        verbose_name_plural = _("séances du comité")

    def __str__(self) -> str:
        return self.title


class CommitteeDecision(models.Model):
    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Retenu")
        REJECTED = "rejected", _("Non retenu")

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="committee_decisions"
    )
    outcome = models.CharField(_("décision"), max_length=10, choices=Outcome.choices)
    motivation = models.TextField(_("motivation"))
    amount_granted = models.DecimalField(
        _("montant accordé"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # Members who declared a conflict of interest on the application: they took no part.
    excluded_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("membres exclus pour conflit d'intérêts"),
    )

    class Meta:
        verbose_name = _("décision du comité")
        verbose_name_plural = _("décisions du comité")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class ConflictDeclaration(models.Model):
    """A committee member's declaration, before opening an application's file in a session,
    that they have or have not a conflict of interest with it. A conflicted member cannot
    read the file nor take part in its decision; a declaration of no conflict can later be
    turned into a conflict, never the reverse."""

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="committee_conflicts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_conflicts"
    )
    conflicted = models.BooleanField(_("conflit d'intérêts"))
    reason = models.TextField(_("nature du lien"), blank=True)
    declared_at = models.DateTimeField(_("déclaré le"), auto_now=True)

    class Meta:
        verbose_name = _("déclaration d'intérêts au comité")
        verbose_name_plural = _("déclarations d'intérêts au comité")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application", "member"], name="one_declaration_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.application_id}/{self.member_id}: {self.conflicted}"
