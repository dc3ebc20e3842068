"""Which optional emails each person wants. Essential emails (the submission receipt, decision
letters, requests for information addressed to the applicant) are always sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """One row per person who changed a setting; without a row every email is wanted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # Applicants: « Votre dossier … est maintenant : En instruction ».
    applicant_updates = models.BooleanField(_("changements d'état des dossiers"), default=True)
    # Programme staff: each new submission, each answer to a request for information.
    new_submissions = models.BooleanField(_("nouveaux dossiers déposés"), default=True)
    answered_requests = models.BooleanField(_("réponses aux demandes de compléments"), default=True)
    # Both sides: a new message in the thread of an application (evaluation.thread).
    new_messages = models.BooleanField(_("nouveaux messages sur les dossiers"), default=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return str(self.user)
