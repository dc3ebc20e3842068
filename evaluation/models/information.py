"""Requests for information (demandes de compléments) and the applicant's versioned answers.

Staff ask a question from eligibility or a review stage; the applicant writes an answer, may
correct it while the request is open (every save is a new version, older ones are kept and
shown to staff), then sends it, which returns the application to the stage that asked.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.vocabulary import ApplicationStatus
from grants.storage import private_storage, random_attachment_name

PARIS = ZoneInfo("Europe/Paris")


class InformationRequest(models.Model):
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="information_requests"
    )
    # The state that asked, where the answer sends the application back.
    stage = models.CharField(_("étape"), max_length=30, choices=ApplicationStatus.choices)
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    due_on = models.DateField(_("réponse attendue au plus tard le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse envoyée le"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("demande de compléments")
        verbose_name_plural = _("demandes de compléments")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_stage_display()}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_overdue(self, at: datetime | None = None) -> bool:
        """Past its due date (the whole due day counts, in Paris): the answer can no longer be
        sent unless staff extend the date (``extensions.extend_information_request``)."""
        if self.due_on is None:
            return False
        return timezone.localdate(at or timezone.now(), PARIS) > self.due_on

    def latest_answer(self):
        return self.answers.order_by("-version").first()


class InformationAnswer(models.Model):
    """One version of the applicant's answer: its text and files as saved at that moment."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="answers"
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        ordering = ["request", "-version"]
        verbose_name = _("réponse à une demande de compléments")
        verbose_name_plural = _("réponses aux demandes de compléments")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "version"], name="one_answer_per_request_and_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} v{self.version}"


class InformationAnswerFile(models.Model):
    """A file of one answer version, checked by its content. A file kept from one version to
    the next gets a new row pointing at the same stored file: versions never change."""

    answer = models.ForeignKey(InformationAnswer, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(
        storage=private_storage, upload_to=random_attachment_name, max_length=200
    )
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fichier joint à une réponse")
        verbose_name_plural = _("fichiers joints aux réponses")

    def __str__(self) -> str:
        return self.original_name
