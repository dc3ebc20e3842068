"""Jury hearings (auditions): staff schedule them, applicants answer, the jury records the
team's attendance. The hearing's scores are the hearing track's reviews (ethics.jury).

Rules, all checked here on the server:

- staff work only on the hearing sessions of the calls they run, for calls that use the
  hearing track; a session has a place or a video link and a jury;
- a slot holds one application and an application has one slot: the database's unique
  constraints decide a race between two bookings (``IntegrityError`` becomes a refusal);
- an application is invited while under instruction and before the committee; its jury is
  seated on the hearing track at once; the applicant is emailed after the commit;
- the applicant (any member of the organisation) confirms a slot not yet begun, or asks for
  another with a reason; staff then move it to a free slot, which asks for a new answer;
- an application withdrawn, found ineligible or rejected before its hearing frees its slot
  (``release``, run with the transition);
- the team's attendance is recorded once the slot has begun, by staff or by a jury member
  who declared no conflict; the jury rates only a hearing the team attended.

Every change is an entry of the application's audit trail, hidden from the applicant's history
(their page shows the invitation itself).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models import CallPage
from core.formatting import paris_instant
from core.roles import is_programme_staff_user
from core.vocabulary import UNDER_INSTRUCTION, ApplicationStatus, ReviewTrack
from ethics.jury import seat_jury, unseat_jury
from ethics.models import ReviewAssignment
from grants.models import Application
from grants.permissions import is_member

from . import audit
from .conditions import is_pre_proposal
from .hearing_emails import send_change_requested, send_invitation
from .models import HearingInvitation, HearingSession, HearingSlot
from .workflow import TransitionRefused

HEARING = ReviewTrack.HEARING
Answer = HearingInvitation.Answer
Attendance = HearingInvitation.Attendance

# Audit entries (TransitionLog.transition) of the hearings; their labels: services.py.
INVITED = "hearing_invited"
MOVED = "hearing_moved"
CANCELLED = "hearing_cancelled"
CONFIRMED = "hearing_confirmed"
CHANGE_REQUESTED = "hearing_change_requested"
ATTENDANCE = "hearing_attendance"
LOG_LABELS = {
    INVITED: gettext_lazy("Convoquer à l'audition"),
    MOVED: gettext_lazy("Déplacer l'audition"),
    CANCELLED: gettext_lazy("Annuler l'audition"),
    CONFIRMED: gettext_lazy("Audition confirmée par le candidat"),
    CHANGE_REQUESTED: gettext_lazy("Autre créneau d'audition demandé"),
    ATTENDANCE: gettext_lazy("Présence à l'audition notée"),
}

# From submission until the committee: an application may be heard (COMMITTEE excluded).
INVITABLE_STATES = [s for s in UNDER_INSTRUCTION if s != ApplicationStatus.COMMITTEE]
MAX_SLOTS_AT_ONCE = 40
# Entering these states, an application will not be heard: its upcoming slot is freed.
NOT_HEARD = {ApplicationStatus.WITHDRAWN, ApplicationStatus.INELIGIBLE, ApplicationStatus.REJECTED}


# -- Who works on what ----------------------------------------------------------------------


def hearing_calls(user) -> QuerySet[CallPage]:
    """The calls ``user`` runs that hear their applicants."""
    return (
        CallPage.objects.run_by(user).references().filter(review_tracks__track=HEARING).distinct()
    )


def sessions_run_by(user) -> QuerySet[HearingSession]:
    return HearingSession.objects.filter(call__in=CallPage.objects.run_by(user).values("pk"))


def invitable(session: HearingSession) -> QuerySet[Application]:
    """The session's call's applications that may still be given a slot."""
    applications = Application.objects.filter(
        call_id=session.call_id, status__in=INVITABLE_STATES, hearing_invitation__isnull=True
    )
    if session.call.is_two_stage:  # the jury hears full applications, never pre-proposals
        applications = applications.filter(stage=2)
    return applications


def _log(application, code: str, by, at: datetime, comment: str) -> None:
    audit.note(application, code, by, at, comment)


def _slot_words(slot: HearingSlot) -> str:
    session = slot.session
    where = session.place or session.video_link
    return _("%(at)s (heure de Paris), %(minutes)s min — %(where)s") % {
        "at": paris_instant(slot.starts_at),
        "minutes": slot.duration_minutes,
        "where": where,
    }


def _check_runs(session: HearingSession, user) -> None:
    if not (is_programme_staff_user(user) and session.call.is_run_by(user)):
        raise TransitionRefused(
            [_("Seuls les chargés de mission de l'appel organisent ses auditions.")]
        )


# -- Sessions and slots ---------------------------------------------------------------------


def create_session(call: CallPage, by, *, jury, **fields) -> HearingSession:
    if not hearing_calls(by).filter(pk=call.pk).exists():
        raise TransitionRefused(
            [_("Cet appel ne prévoit pas d'audition, ou vous ne le suivez pas.")]
        )
    if not (fields.get("place") or "").strip() and not fields.get("video_link"):
        raise TransitionRefused(
            [_("Indiquez le lieu de l'audition ou le lien de visioconférence.")]
        )
    with transaction.atomic():
        session = HearingSession.objects.create(call=call, created_by=by, **fields)
        session.jury.set(jury)
    return session


def change_jury(session: HearingSession, by, jury) -> list[tuple[object, str]]:
    """Set the session's jury and seat it on every application booked in the session; members
    taken off leave the hearing track unless they began a grid. Returns who was left out."""
    _check_runs(session, by)
    left_out = []
    with transaction.atomic():
        session.jury.set(jury)
        members = list(session.jury.all())
        for invitation in _booked(session):
            unseat_jury(invitation.application, keep=members)
            left_out += seat_jury(invitation.application, members, by)
    return left_out


def _booked(session: HearingSession) -> QuerySet[HearingInvitation]:
    return HearingInvitation.objects.filter(slot__session=session).select_related(
        "application__organisation", "slot"
    )


def add_slots(
    session: HearingSession, by, *, first_start: datetime, duration: int, count: int, gap: int = 0
) -> list[HearingSlot]:
    """``count`` consecutive slots of ``duration`` minutes from ``first_start`` (with ``gap``
    minutes between them); refused if one overlaps a slot of the session."""
    _check_runs(session, by)
    if not 1 <= count <= MAX_SLOTS_AT_ONCE or duration < 5:
        raise TransitionRefused(
            [_("De 1 à %(max)s créneaux d'au moins 5 minutes.") % {"max": MAX_SLOTS_AT_ONCE}]
        )
    step = timedelta(minutes=duration + gap)
    wanted = [(first_start + i * step, duration) for i in range(count)]
    existing = list(session.slots.all())
    for start, minutes in wanted:
        end = start + timedelta(minutes=minutes)
        clash = next((s for s in existing if s.starts_at < end and start < s.ends_at), None)
        if clash is not None:
            raise TransitionRefused(
                [
                    _("Le créneau de %(at)s chevauche un créneau existant : rien n'a été ajouté.")
                    % {"at": paris_instant(start)}
                ]
            )
    try:
        with transaction.atomic():
            return HearingSlot.objects.bulk_create(
                HearingSlot(session=session, starts_at=start, duration_minutes=minutes)
                for start, minutes in wanted
            )
    except IntegrityError:  # added meanwhile by someone else
        raise TransitionRefused([_("Un créneau commence déjà à cette heure.")]) from None


def delete_slot(slot: HearingSlot, by) -> None:
    _check_runs(slot.session, by)
    if HearingInvitation.objects.filter(slot=slot).exists():
        raise TransitionRefused([_("Ce créneau est attribué : déplacez d'abord le dossier.")])
    slot.delete()


# -- Booking ----------------------------------------------------------------------------------


def _taken_refusal(slot: HearingSlot, application: Application) -> TransitionRefused:
    """Which unique constraint refused the booking, in words."""
    if HearingInvitation.objects.filter(application=application).exclude(slot=slot).exists():
        return TransitionRefused([_("Ce dossier a déjà un créneau d'audition : déplacez-le.")])
    return TransitionRefused(
        [_("Ce créneau vient d'être attribué à un autre dossier : choisissez un créneau libre.")]
    )


def invite(slot: HearingSlot, application: Application, by) -> HearingInvitation:
    """Book ``slot`` for ``application``, seat the session's jury, email the applicant. The
    returned invitation's ``left_out`` lists the jury members not seated, with the reason (an
    obvious conflict), for the page to say."""
    session = slot.session
    _check_runs(session, by)
    if application.call_id != session.call_id:
        raise TransitionRefused([_("Ce dossier ne relève pas de l'appel de cette séance.")])
    if application.status not in INVITABLE_STATES or is_pre_proposal(application):
        raise TransitionRefused([_("Ce dossier n'est pas (ou plus) à auditionner.")])
    now = timezone.now()
    if slot.starts_at <= now:
        raise TransitionRefused([_("Ce créneau est passé : choisissez un créneau à venir.")])
    try:
        with transaction.atomic():
            invitation = HearingInvitation.objects.create(
                slot=slot, application=application, invited_by=by, invited_at=now
            )
            left_out = seat_jury(application, session.jury.all(), by)
            _log(application, INVITED, by, now, _slot_words(slot))
            transaction.on_commit(partial(send_invitation.enqueue, invitation.pk), robust=True)
    except IntegrityError:
        raise _taken_refusal(slot, application) from None
    invitation.left_out = left_out
    return invitation


def move(invitation: HearingInvitation, slot: HearingSlot, by) -> HearingInvitation:
    """Book another free slot (of any session of the call) for the invited application: a new
    invitation to answer, the new session's jury seated (``left_out`` as for ``invite``)."""
    _check_runs(invitation.slot.session, by)
    session = slot.session
    if session.call_id != invitation.application.call_id:
        raise TransitionRefused([_("Ce créneau n'est pas une audition de l'appel du dossier.")])
    now = timezone.now()
    if slot.starts_at <= now:
        raise TransitionRefused([_("Ce créneau est passé : choisissez un créneau à venir.")])
    if slot.pk == invitation.slot_id:
        raise TransitionRefused([_("Le dossier est déjà sur ce créneau.")])
    application = invitation.application
    try:
        with transaction.atomic():
            invitation.slot = slot
            invitation.answer = Answer.PENDING
            invitation.answered_at = invitation.answered_by = None
            invitation.attendance, invitation.attendance_recorded_at = "", None
            invitation.invited_by, invitation.invited_at = by, now
            invitation.save()
            members = list(session.jury.all())
            unseat_jury(application, keep=members)
            invitation.left_out = seat_jury(application, members, by)
            _log(application, MOVED, by, now, _slot_words(slot))
            transaction.on_commit(partial(send_invitation.enqueue, invitation.pk), robust=True)
    except IntegrityError:
        raise _taken_refusal(slot, application) from None
    return invitation


def cancel(invitation: HearingInvitation, by) -> None:
    """Free the slot (an application withdrawn, or not to be heard after all)."""
    _check_runs(invitation.slot.session, by)
    application = invitation.application
    with transaction.atomic():
        unseat_jury(application, keep=[])
        invitation.delete()
        _log(application, CANCELLED, by, timezone.now(), _slot_words(invitation.slot))


def release(application: Application, by, at: datetime) -> HearingInvitation | None:
    """Free the upcoming slot of an application that will not be heard (``NOT_HEARD``) for
    another team; a hearing already begun stays, with its attendance and grids. Run in the
    transition's transaction (``effects.after_transition``)."""
    invitation = (
        HearingInvitation.objects.select_for_update(of=("self",))
        .select_related("slot__session")
        .filter(application_id=application.pk, slot__starts_at__gt=at)
        .first()
    )
    if invitation is not None:
        unseat_jury(application, keep=[])
        invitation.delete()
        words = {"status": application.get_status_display(), "slot": _slot_words(invitation.slot)}
        comment = _("Créneau libéré, le dossier est « %(status)s » : %(slot)s") % words
        _log(application, CANCELLED, by, at, comment)
    return invitation


# -- The applicant's answer -------------------------------------------------------------------


def _check_applicant(invitation: HearingInvitation, user, now: datetime) -> None:
    if not is_member(user, invitation.application.organisation):
        raise TransitionRefused([_("Seuls les membres de l'organisation candidate répondent.")])
    if invitation.slot.starts_at <= now:
        raise TransitionRefused([_("L'audition a commencé : il n'est plus possible d'y répondre.")])


def confirm(invitation: HearingInvitation, user) -> HearingInvitation:
    now = timezone.now()
    _check_applicant(invitation, user, now)
    with transaction.atomic():
        locked = HearingInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.slot_id != invitation.slot_id:
            raise TransitionRefused(
                [_("Votre audition a été déplacée : lisez le nouveau créneau.")]
            )
        if locked.answer == Answer.CONFIRMED:
            raise TransitionRefused([_("Vous avez déjà confirmé ce créneau.")])
        locked.answer, locked.answered_at, locked.answered_by = Answer.CONFIRMED, now, user
        locked.change_reason = ""
        locked.save(update_fields=["answer", "answered_at", "answered_by", "change_reason"])
        _log(invitation.application, CONFIRMED, user, now, _slot_words(invitation.slot))
    return locked


def request_change(invitation: HearingInvitation, user, reason: str) -> HearingInvitation:
    now = timezone.now()
    _check_applicant(invitation, user, now)
    reason = reason.strip()
    if not reason:
        raise TransitionRefused([_("Expliquez pourquoi ce créneau ne vous convient pas.")])
    with transaction.atomic():
        locked = HearingInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.slot_id != invitation.slot_id:
            raise TransitionRefused(
                [_("Votre audition a été déplacée : lisez le nouveau créneau.")]
            )
        locked.answer, locked.answered_at, locked.answered_by = Answer.CHANGE_REQUESTED, now, user
        locked.change_reason = reason
        locked.save(update_fields=["answer", "answered_at", "answered_by", "change_reason"])
        _log(invitation.application, CHANGE_REQUESTED, user, now, reason)
        transaction.on_commit(partial(send_change_requested.enqueue, locked.pk), robust=True)
    return locked


# -- The hearing itself -----------------------------------------------------------------------


def cleared_juror(invitation: HearingInvitation, user) -> bool:
    """A jury member of the session who declared no conflict with the application."""
    return ReviewAssignment.objects.filter(
        application_id=invitation.application_id,
        track=HEARING,
        reviewer_id=getattr(user, "pk", None),
        conflict=ReviewAssignment.Conflict.NONE,
    ).exists()


def may_record_attendance(invitation: HearingInvitation, user) -> bool:
    staff = is_programme_staff_user(user) and invitation.application.call.is_run_by(user)
    return staff or cleared_juror(invitation, user)


def record_attendance(invitation: HearingInvitation, user, attendance: str) -> HearingInvitation:
    if attendance not in (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED):
        raise TransitionRefused([_("Choisissez : présent, absent ou excusé.")])
    if not may_record_attendance(invitation, user):
        raise TransitionRefused(
            [_("Seuls le jury (sans conflit d'intérêts) et les chargés de mission la notent.")]
        )
    now = timezone.now()
    if invitation.slot.starts_at > now:
        raise TransitionRefused([_("L'audition n'a pas encore commencé.")])
    with transaction.atomic():
        invitation.attendance, invitation.attendance_recorded_at = attendance, now
        invitation.save(update_fields=["attendance", "attendance_recorded_at"])
        _log(
            invitation.application,
            ATTENDANCE,
            user,
            now,
            str(Attendance(attendance).label),
        )
    return invitation


def hearing_rating_check(assignment) -> str:
    """ethics' rating check for the hearing track: the team was heard (``""``) or why not."""
    if assignment.track != HEARING:
        return ""
    invitation = HearingInvitation.objects.filter(application_id=assignment.application_id).first()
    if invitation is None:
        return _("Aucune audition n'est programmée pour ce dossier.")
    if invitation.attendance != Attendance.PRESENT:
        return _("La grille s'ouvre une fois la présence de l'équipe candidate notée à l'audition.")
    return ""
