"""Reviewers' assignments, conflict-of-interest declarations, reviews and their ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.vocabulary import ReviewTrack


class ReviewAssignment(models.Model):
    class Conflict(models.TextChoices):
        PENDING = "pending", _("Déclaration attendue")
        NONE = "none", _("Pas de conflit d'intérêts")
        CONFLICTED = "conflicted", _("Conflit d'intérêts déclaré")

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="review_assignments"
    )
    track = models.CharField(_("expertise"), max_length=30, choices=ReviewTrack.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("à rendre le"), null=True, blank=True)
    conflict = models.CharField(max_length=12, choices=Conflict.choices, default=Conflict.PENDING)
    conflict_declared_at = models.DateTimeField(null=True, blank=True)
    conflict_reason = models.TextField(_("nature du conflit"), blank=True)
    # The day the last reminder was sent (ethics/reminders.py): one before the due date, one
    # after it if the review is still missing.
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("affectation d'expert")
        verbose_name_plural = _("affectations d'experts")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "track", "reviewer"], name="unique_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.application_id} ({self.track})"

    @property
    def is_active(self) -> bool:
        return self.conflict != self.Conflict.CONFLICTED

    def current_review(self) -> Review | None:
        """The latest version (``Review.Meta.ordering``); from prefetched reviews if any."""
        return next(iter(self.reviews.all()[:1]), None)


class Review(models.Model):
    """One version of a reviewer's opinion. Submitted reviews are locked: an amendment is a
    new version with its reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Rendu")

    class Recommendation(models.TextChoices):
        FAVOURABLE = "favourable", _("Avis favorable")
        RESERVATIONS = "reservations", _("Avis favorable avec réserves")
        UNFAVOURABLE = "unfavourable", _("Avis défavorable")

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.PROTECT, related_name="reviews"
    )
    grid = models.ForeignKey("ethics.ReviewGrid", on_delete=models.PROTECT, related_name="reviews")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(
        _("avis général"), max_length=15, choices=Recommendation.choices, blank=True
    )
    summary = models.TextField(_("synthèse"), blank=True)
    amendment_reason = models.TextField(_("motif de la modification"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "-version"]
        verbose_name = _("avis d'expert")
        verbose_name_plural = _("avis d'experts")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "version"], name="unique_review_version")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} v{self.version}"


class CriterionRating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey("ethics.Criterion", on_delete=models.PROTECT, related_name="+")
    # An int 0–5 as text, a compliance word, or "na"; empty while not rated.
    value = models.CharField(_("appréciation"), max_length=15, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    evidence_checked = models.BooleanField(_("éléments de preuve vérifiés"), default=False)

    class Meta:
        verbose_name = _("appréciation d'un critère")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_rating")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class ReviewerProfile(models.Model):
    """A member of the reviewers' pool and the tracks they are qualified for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    tracks = models.JSONField(_("expertises"), default=list)
    organisation_name = models.CharField(_("organisme d'appartenance"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return str(self.user)

    def covers(self, track: str) -> bool:
        return track in self.tracks
