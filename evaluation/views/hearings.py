"""Back office: jury hearings (auditions) — the sessions of the calls staff run, and one
session's slots, jury, invitations, the applicants' answers and the teams' attendance.

Staff of the call only (``staff_only``, then the calls they run: another operator's session is
a 404). Every rule is evaluation.hearings'; a refusal is shown with its reason and changes
nothing. The session page reads its slots, invitations, jury seats and the free slots of the
call in a fixed number of queries, whatever the number of slots.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mfa import sensitive_action
from core.roles import staff_only
from ethics.models import ReviewAssignment
from grants.models import Application

from .. import hearings
from ..hearing_forms import (
    AttendanceForm,
    HearingSessionForm,
    InviteForm,
    JuryForm,
    MoveForm,
    SlotsForm,
    person_label,
)
from ..models import HearingInvitation, HearingSession, HearingSlot
from ..workflow import TransitionRefused


@staff_only
@sensitive_action  # creates a session with its jury
def hearing_sessions(request: HttpRequest) -> HttpResponse:
    calls = hearings.hearing_calls(request.user)
    form = HearingSessionForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        call, jury = data.pop("call"), data.pop("jury")
        try:
            session = hearings.create_session(call, request.user, jury=jury, **data)
        except TransitionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("La séance « %(title)s » est créée.") % {"title": session})
            return redirect("evaluation:hearing_session", session.pk)
    sessions = (
        hearings.sessions_run_by(request.user)
        .select_related("call")
        .prefetch_related("jury", "slots__invitation")
    )
    rows = [
        {
            "session": s,
            "slots": len(s.slots.all()),
            "booked": sum(1 for slot in s.slots.all() if hasattr(slot, "invitation")),
            "jury": len(s.jury.all()),
        }
        for s in sessions
    ]
    return render(
        request,
        "evaluation/hearing_sessions.html",
        {"rows": rows, "form": form, "has_calls": calls.exists()},
    )


def _session(request: HttpRequest, pk: int) -> HearingSession:
    return get_object_or_404(hearings.sessions_run_by(request.user).select_related("call"), pk=pk)


def _seats(applications: list) -> dict[int, list[ReviewAssignment]]:
    """The hearing track's jury seats of these applications, with their reviews: one query."""
    seats: dict[int, list[ReviewAssignment]] = defaultdict(list)
    for assignment in (
        ReviewAssignment.objects.filter(application__in=applications, track=hearings.HEARING)
        .select_related("reviewer")
        .prefetch_related("reviews")
        .order_by("reviewer__last_name", "reviewer__email")
    ):
        seats[assignment.application_id].append(assignment)
    return seats


def _seat_state(assignment: ReviewAssignment) -> str:
    if assignment.conflict == ReviewAssignment.Conflict.CONFLICTED:
        return _("conflit d'intérêts déclaré")
    if assignment.conflict == ReviewAssignment.Conflict.PENDING:
        return _("déclaration d'intérêts attendue")
    review = assignment.current_review()
    if review is None:
        return _("grille non commencée")
    return _("grille rendue") if review.status == "submitted" else _("grille en cours")


def _context(request: HttpRequest, session: HearingSession, **forms) -> dict:
    now = timezone.now()
    slots = list(
        session.slots.select_related(
            "invitation__application__organisation", "invitation__answered_by"
        )
    )
    booked = [s.invitation for s in slots if hasattr(s, "invitation")]
    seats = _seats([i.application_id for i in booked])
    free_here = [s for s in slots if not hasattr(s, "invitation") and s.starts_at > now]
    # Where an application may be moved: the free upcoming slots of every session of the call.
    free_in_call = list(
        HearingSlot.objects.filter(
            session__call_id=session.call_id, invitation__isnull=True, starts_at__gt=now
        ).select_related("session")
    )
    jury = list(session.jury.all())
    applications = (
        hearings.invitable(session)
        .filter(pk__in=Application.objects.handled_by(request.user).values("pk"))
        .select_related("organisation")
        .order_by("pk")
    )
    rows = [
        {
            "slot": slot,
            "invitation": getattr(slot, "invitation", None),
            "seats": [
                {"who": person_label(a.reviewer), "state": _seat_state(a)}
                for a in seats.get(
                    getattr(getattr(slot, "invitation", None), "application_id", 0), []
                )
            ],
            "started": slot.starts_at <= now,
        }
        for slot in slots
    ]
    return {
        "session": session,
        "call": session.call,
        "rows": rows,
        "jury": [person_label(member) for member in jury],
        "free_in_call": free_in_call,
        "change_requests": [
            i for i in booked if i.answer == HearingInvitation.Answer.CHANGE_REQUESTED
        ],
        "slots_form": forms.get("slots_form") or SlotsForm(),
        "invite_form": forms.get("invite_form")
        or InviteForm(
            applications=applications,
            slots=session.slots.filter(invitation__isnull=True, starts_at__gt=now),
        ),
        "free_here": free_here,
        "has_invitable": applications.exists(),
        "jury_form": forms.get("jury_form") or JuryForm(initial={"jury": jury}),
        "attendance_choices": AttendanceForm.base_fields["attendance"].choices,
        "has_errors": any(f is not None and f.errors for f in forms.values()),
    }


def _refused(request: HttpRequest, refused: TransitionRefused) -> None:
    for message in refused.messages:
        messages.error(request, message)


def _left_out(request: HttpRequest, left_out) -> None:
    for member, reason in left_out:
        messages.warning(
            request,
            _("%(member)s ne siège pas sur ce dossier : %(reason)s")
            % {"member": person_label(member), "reason": reason},
        )


def _post(request: HttpRequest, session: HearingSession) -> HttpResponse | dict:
    """Run the posted action; a redirect when done, else the bound forms with their errors."""
    action = request.POST.get("action")
    here = reverse("evaluation:hearing_session", args=[session.pk])
    call_slots = HearingSlot.objects.filter(session__call_id=session.call_id)
    invitations = HearingInvitation.objects.filter(slot__session=session).select_related(
        "application__call", "application__organisation", "slot__session__call"
    )
    try:
        if action == "slots":
            form = SlotsForm(request.POST)
            if not form.is_valid():
                return {"slots_form": form}
            data = form.cleaned_data
            added = hearings.add_slots(
                session,
                request.user,
                first_start=data["first_start"],
                duration=data["duration"],
                count=data["count"],
                gap=data["gap"],
            )
            messages.success(request, _("%(n)s créneau(x) ajouté(s).") % {"n": len(added)})
        elif action == "invite":
            form = InviteForm(
                request.POST,
                applications=hearings.invitable(session).filter(
                    pk__in=Application.objects.handled_by(request.user).values("pk")
                ),
                slots=session.slots.all(),
            )
            if not form.is_valid():
                return {"invite_form": form}
            invitation = hearings.invite(
                form.cleaned_data["slot"], form.cleaned_data["application"], request.user
            )
            _left_out(request, invitation.left_out)
            messages.success(
                request,
                _("Le dossier %(reference)s est convoqué ; le candidat est prévenu par courriel.")
                % {"reference": invitation.application.reference},
            )
        elif action == "move":
            form = MoveForm(request.POST, invitations=invitations, slots=call_slots)
            if not form.is_valid():
                messages.error(request, _("Choisissez un créneau libre."))
                return redirect(here)
            invitation = hearings.move(
                form.cleaned_data["invitation"], form.cleaned_data["slot"], request.user
            )
            _left_out(request, invitation.left_out)
            messages.success(
                request,
                _("Le dossier %(reference)s est déplacé ; le candidat est prévenu par courriel.")
                % {"reference": invitation.application.reference},
            )
        elif action == "cancel":
            invitation = get_object_or_404(invitations, pk=_id(request, "invitation"))
            hearings.cancel(invitation, request.user)
            messages.success(request, _("La convocation est annulée : le créneau est libre."))
        elif action == "delete_slot":
            hearings.delete_slot(
                get_object_or_404(session.slots, pk=_id(request, "slot")), request.user
            )
            messages.success(request, _("Le créneau est supprimé."))
        elif action == "attendance":
            invitation = get_object_or_404(invitations, pk=_id(request, "invitation"))
            hearings.record_attendance(invitation, request.user, request.POST.get("attendance", ""))
            messages.success(request, _("La présence de l'équipe est notée."))
        elif action == "jury":
            form = JuryForm(request.POST)
            if not form.is_valid():
                return {"jury_form": form}
            _left_out(
                request, hearings.change_jury(session, request.user, form.cleaned_data["jury"])
            )
            messages.success(request, _("Le jury de la séance est à jour."))
    except TransitionRefused as refused:
        _refused(request, refused)
    return redirect(here)


def _id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


@staff_only
@sensitive_action  # books slots, seats a jury
def hearing_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    forms = {}
    if request.method == "POST":
        result = _post(request, session)
        if isinstance(result, HttpResponse):
            return result
        forms = result
    context = _context(request, session, **forms)
    return render(
        request,
        "evaluation/hearing_session.html",
        context,
        status=400 if context["has_errors"] else 200,
    )
