"""The audit trail: one append-only, hash-chained entry per transition of an application.

Each entry's hash covers its content and the previous entry's hash, across all applications,
so that editing or deleting any entry but the newest breaks the chain (see ``audit.verify``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class TransitionLog(models.Model):
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="transition_logs"
    )
    transition = models.CharField(_("transition"), max_length=60)
    source = models.CharField(_("état de départ"), max_length=30)
    target = models.CharField(_("état d'arrivée"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("date"))
    comment = models.TextField(_("commentaire"), blank=True)
    visible_to_applicant = models.BooleanField(default=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]
        # The queues ask each application's latest transition.
        indexes = [models.Index(fields=["application", "at"], name="transition_app_at")]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des transitions")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def applicant_label(self) -> str:
        from ..states import APPLICANT_WORDING, ApplicationStatus

        return str(APPLICANT_WORDING[ApplicationStatus(self.target)])


class AuditChainHead(models.Model):
    """A single row holding the newest hash. Appenders lock it, so the chain never forks."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return self.last_hash
