"""Jury hearings (auditions): sessions of a call, their time slots, and the invitation that
books one slot for one application.

A booking is its own row (``HearingInvitation``) so that the database keeps the two rules
whatever the race: a slot holds one application (unique ``slot``) and an application has one
slot (unique ``application``). Moving an application to another slot changes its invitation's
slot under the same constraint.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HearingSession(models.Model):
    """A day of hearings for a call: where (a place or a video link) and before whom."""

    call = models.ForeignKey(
        "cms.CallPage", on_delete=models.PROTECT, related_name="hearing_sessions"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hearing_juries", verbose_name=_("jury")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("séance d'audition")
        verbose_name_plural = _("séances d'audition")

    def __str__(self) -> str:
        return self.title


class HearingSlot(models.Model):
    session = models.ForeignKey(HearingSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=45)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("créneau d'audition")
        verbose_name_plural = _("créneaux d'audition")
        constraints = [
            models.UniqueConstraint(fields=["session", "starts_at"], name="one_slot_per_start")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class HearingInvitation(models.Model):
    """One application booked on one slot; the applicant confirms it or asks for another."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("En attente de confirmation")
        CONFIRMED = "confirmed", _("Confirmée")
        CHANGE_REQUESTED = "change_requested", _("Autre créneau demandé")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Non renseignée")
        PRESENT = "present", _("Présent")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excusé")

    slot = models.OneToOneField(
        HearingSlot, on_delete=models.PROTECT, related_name="invitation", verbose_name=_("créneau")
    )
    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="hearing_invitation"
    )
    answer = models.CharField(
        _("réponse du candidat"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    change_reason = models.TextField(_("motif de la demande de changement"), blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The applicant team's attendance at the hearing, recorded by the jury or staff.
    attendance = models.CharField(
        _("présence du candidat"), max_length=10, choices=Attendance.choices, blank=True
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("convoqué le"))

    class Meta:
        verbose_name = _("convocation à une audition")
        verbose_name_plural = _("convocations aux auditions")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.slot_id} ({self.answer})"
