"""Milestones and their reports, and what staff let the public sheet show.

Each milestone expects one report: the beneficiary writes it (indicator values, narrative,
files), submits it, and staff accept it or ask for changes. Every submission is a version
kept as it was sent, with staff's decision on it; changes asked for start a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.storage import private_storage, random_attachment_name


class ReportStatus(models.TextChoices):
    DUE = "due", _("À rendre")
    DRAFT = "draft", _("En cours de rédaction")
    SUBMITTED = "submitted", _("Transmis, en examen")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    ACCEPTED = "accepted", _("Accepté")


class Milestone(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Rapport d'étape")
        FINAL = "final", _("Rapport final")

    convention = models.ForeignKey(
        "funding.Convention", on_delete=models.PROTECT, related_name="milestones"
    )
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(_("jalon"), max_length=200)
    due_on = models.DateField(_("rapport attendu le"))
    report_status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The day of the last reminder (funding/reminders.py): one before, one after the due date.
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["convention", "number"]
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="one_milestone_per_number"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_accepted(self) -> bool:
        return self.report_status == ReportStatus.ACCEPTED

    def latest_version(self) -> ReportVersion | None:
        return self.report_versions.order_by("-number").first()


class ReportVersion(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepté")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="report_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    narrative = models.TextField(_("compte rendu"), blank=True)
    # {indicator id: value as a decimal string}, for the call's indicators.
    values = models.JSONField(default=dict, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_comment = models.TextField(_("commentaire"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["milestone", "-number"]
        verbose_name = _("version de rapport")
        verbose_name_plural = _("versions de rapport")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "number"], name="one_report_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} v{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReportFile(models.Model):
    """A file of one report version, checked by its content. A file kept in the next version
    gets a new row pointing at the same stored file: a submitted version never changes."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(storage=private_storage, upload_to=random_attachment_name)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fichier de rapport")
        verbose_name_plural = _("fichiers de rapport")

    def __str__(self) -> str:
        return self.original_name


class PublicProgress(models.Model):
    """What staff approved for the public project sheet: the project's status (in progress,
    completed, stopped: read from the convention) and the results they wrote."""

    convention = models.OneToOneField(
        "funding.Convention", on_delete=models.CASCADE, related_name="public_progress"
    )
    show_status = models.BooleanField(_("afficher l'état du projet sur sa fiche publique"))
    show_indicators = models.BooleanField(
        _("publier les indicateurs du dernier rapport accepté"), default=False
    )
    results = models.TextField(_("résultats publiés"), blank=True, max_length=3000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("avancement publié")
        verbose_name_plural = _("avancements publiés")

    def __str__(self) -> str:
        return str(self.convention_id)
