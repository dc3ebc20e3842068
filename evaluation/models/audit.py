"""The audit trail: one append-only entry per transition of an application, and per stage
override, chained application by application.

Each entry carries its position in its application's chain (``seq``) and an HMAC over its
content (ids, states, dates and the comment's own HMAC: no name nor free text in clear) and
the previous entry's HMAC, keyed with a secret that is not in the database
(``settings.RUCHE_AUDIT_KEY``). Editing, reordering or forging an entry breaks the chain; the
application's ``AuditSeal`` (its newest position and HMAC, sealed with the same key) makes
deleting the newest entries detectable too. Chains are independent, so appending locks one
application's seal, never the whole platform. See ``evaluation.audit``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.vocabulary import APPLICANT_WORDING, ApplicationStatus


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class TransitionLog(models.Model):
    # What an entry records besides the workflow's transitions.
    STAGE_OVERRIDE = "override_stage"
    DEADLINE_EXTENSION = "extend_deadline"
    # A message of the application's thread (grants.Message): no change of state; the entry
    # holds the digest of the text, never the text, which the message row keeps.
    MESSAGE = "message"

    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="transition_logs"
    )
    seq = models.PositiveIntegerField(_("position dans la chaîne du dossier"))
    transition = models.CharField(_("transition"), max_length=60)
    source = models.CharField(_("état de départ"), max_length=30)
    target = models.CharField(_("état d'arrivée"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("date"))
    comment = models.TextField(_("commentaire"), blank=True)
    # The comment enters the chain through its own keyed digest, so that it can be erased
    # (an anonymised application, GDPR) without breaking the chain; empty on entries chained
    # before, whose comment is hashed in clear (evaluation.audit.entry_digest).
    comment_digest = models.CharField(max_length=64, blank=True)
    comment_redacted_at = models.DateTimeField(_("commentaire effacé le"), null=True, blank=True)
    visible_to_applicant = models.BooleanField(default=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]
        # The queues ask each application's latest transition.
        indexes = [models.Index(fields=["application", "at"], name="transition_app_at")]
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="one_entry_per_position")
        ]
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
        if self.transition == self.MESSAGE:
            return str(_("Message échangé (voir « Messages »)"))
        return str(APPLICANT_WORDING[ApplicationStatus(self.target)])


class AuditSeal(models.Model):
    """The head of one application's chain: its newest position and HMAC, sealed with the
    key. Appenders lock this row, so one application's chain never forks."""

    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="audit_seal"
    )
    seq = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    seal = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.application_id}: {self.seq}"
