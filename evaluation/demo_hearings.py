"""Demo hearings: on the call that hears its applicants, a past session where the demo
projects on their way to the committee were heard (team present, grids returned), and an
upcoming session with slots, where the demo applicant's invitation waits for confirmation.
The jury persona (« jury@ruche.local ») sits on both. Idempotent: sessions are found by title,
an application already booked is left as it is.

Past hearings are written as they stand (the services refuse to book a slot in the past); the
upcoming invitation goes through ``hearings.invite``, email included.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.vocabulary import ReviewTrack
from ethics.aggregation import COMPLIANCE
from ethics.jury import seat_jury
from ethics.models import Review, ReviewAssignment
from ethics.services import declare, open_review, save_ratings
from ethics.services import submit as submit_review

from . import hearings
from .models import HearingInvitation, HearingSession, HearingSlot

PAST_TITLE = "Auditions — démonstration (séance passée)"
UPCOMING_TITLE = "Auditions — démonstration"
JURY_USERNAMES = ["jury", "expert.ethique", "expert.securite"]


def jury_members() -> list:
    users = get_user_model().objects.filter(username__in=JURY_USERNAMES)
    return sorted(users, key=lambda u: JURY_USERNAMES.index(u.username))


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _session(call, officer, title: str, held_on) -> HearingSession:
    session, created = HearingSession.objects.get_or_create(
        call=call,
        title=title,
        defaults={
            "held_on": held_on,
            "place": "Bpifrance, 27-31 avenue du Général Leclerc, Maisons-Alfort — salle 4",
            "video_link": "https://visio.ruche.local/auditions-demo",
            "created_by": officer,
        },
    )
    if created:
        session.jury.set(jury_members())
        HearingSlot.objects.bulk_create(
            HearingSlot(session=session, starts_at=_at(held_on, 9, 30) + i * timedelta(hours=1))
            for i in range(6)
        )
    return session


def past_session(call, officer) -> HearingSession:
    return _session(call, officer, PAST_TITLE, timezone.localdate() - timedelta(days=1))


def upcoming_session(call, officer) -> HearingSession:
    return _session(call, officer, UPCOMING_TITLE, timezone.localdate() + timedelta(days=14))


def _free_slot(session: HearingSession) -> HearingSlot | None:
    return session.slots.filter(invitation__isnull=True).order_by("starts_at").first()


@transaction.atomic
def book_past(application, officer, *, attended: bool = True) -> HearingInvitation | None:
    """Book ``application`` on the past session's next free slot, confirmed; the team present
    if ``attended``. The jury is seated; None when no slot is left."""
    existing = HearingInvitation.objects.filter(application=application).first()
    if existing is not None:
        return existing
    session = past_session(application.call, officer)
    slot = _free_slot(session)
    if slot is None:
        return None
    now = timezone.now()
    invitation = HearingInvitation.objects.create(
        slot=slot,
        application=application,
        invited_by=officer,
        invited_at=now - timedelta(days=15),
        answer=HearingInvitation.Answer.CONFIRMED,
        answered_at=now - timedelta(days=14),
        attendance=HearingInvitation.Attendance.PRESENT if attended else "",
        attendance_recorded_at=slot.starts_at if attended else None,
    )
    seat_jury(application, session.jury.all(), officer)
    return invitation


def hear(application, officer) -> None:
    """The application is heard: booked in the past session, the team present, and every
    seated jury member declares no conflict and returns a favourable grid."""
    if book_past(application, officer) is None:
        return
    seats = ReviewAssignment.objects.filter(application=application, track=ReviewTrack.HEARING)
    for seat in seats.select_related("reviewer", "application"):
        if seat.conflict == ReviewAssignment.Conflict.PENDING:
            declare(seat, seat.reviewer, conflicted=False)
        review = open_review(seat)
        if review.status == Review.Status.SUBMITTED:
            continue
        ratings = {
            rating.criterion_id: {
                "value": "compliant" if rating.criterion.scale == COMPLIANCE else "4",
                "comment": "Réponses claires du porteur ; calendrier réaliste.",
            }
            for rating in review.ratings.select_related("criterion")
        }
        save_ratings(
            review,
            ratings,
            Review.Recommendation.FAVOURABLE,
            "Équipe solide et complémentaire ; pitch clair, réponses précises au jury.",
        )
        submit_review(review)


def invite_upcoming(application, officer) -> HearingInvitation | None:
    """The applicant's invitation to the upcoming session, waiting for their answer."""
    existing = HearingInvitation.objects.filter(application=application).first()
    if existing is not None:
        return existing
    slot = _free_slot(upcoming_session(application.call, officer))
    return hearings.invite(slot, application, officer) if slot else None
