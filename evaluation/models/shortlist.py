"""The first stage's outcome in a two-stage call: each pre-proposal shortlisted or not, with
the reason staff wrote; a shortlisted one is invited to file its full application."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ShortlistDecision(models.Model):
    class Outcome(models.TextChoices):
        SHORTLISTED = "shortlisted", _("Présélectionné")
        NOT_SHORTLISTED = "not_shortlisted", _("Non présélectionné")

    # One decision per pre-proposal: a second one is refused by the database too.
    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="shortlist_decision"
    )
    outcome = models.CharField(_("décision"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("motif"))
    # The second-stage relève the full application is due by (shortlisted only).
    full_application_due = models.ForeignKey(
        "cms.CallCutoff",
        verbose_name=_("dossier complet attendu pour la relève"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("décision de présélection")
        verbose_name_plural = _("décisions de présélection")

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome}"

    @property
    def shortlisted(self) -> bool:
        return self.outcome == self.Outcome.SHORTLISTED
