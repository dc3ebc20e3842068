"""The jury's side of the hearings (« Mes auditions »): the sessions a person sits on, each
hearing with the team's answer, the person's declaration of interests and grid, and the
team's attendance to record once the hearing has begun.

The declaration and the grid are the review pages of the hearing track (ethics, under
/expertise/): a jury member declares interests before anything of the file opens, and a
conflicted member neither reads it nor rates. Attendance is recorded by a member who declared
no conflict (evaluation.hearings decides). Someone who sits on no jury sees an empty page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ethics.models import ReviewAssignment

from .. import hearings
from ..hearing_forms import AttendanceForm
from ..models import HearingInvitation, HearingSlot
from ..workflow import TransitionRefused

Conflict = ReviewAssignment.Conflict


def _seat_link(assignment: ReviewAssignment | None) -> tuple[str, str]:
    """Where the jury member goes next for one hearing, and the words of the link."""
    if assignment is None:
        return "", ""
    if assignment.conflict == Conflict.PENDING:
        return reverse("ethics:declaration", args=[assignment.pk]), _(
            "Déclarer mes liens d'intérêts"
        )
    if assignment.conflict == Conflict.CONFLICTED:
        return reverse("ethics:declaration", args=[assignment.pk]), _(
            "Conflit déclaré : voir ma déclaration"
        )
    return reverse("ethics:review", args=[assignment.pk]), _("Ouvrir la grille d'audition")


@login_required
def jury_hearings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        invitation = get_object_or_404(
            HearingInvitation.objects.select_related("application__call", "slot"),
            pk=int(request.POST.get("invitation", "0") or 0),
            slot__session__jury=user,
        )
        form = AttendanceForm(request.POST)
        try:
            if not form.is_valid():
                raise TransitionRefused([_("Choisissez : présent, absent ou excusé.")])
            hearings.record_attendance(invitation, user, form.cleaned_data["attendance"])
        except TransitionRefused as refused:
            for message in refused.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("La présence de l'équipe est notée."))
        return redirect("evaluation:hearing_jury")

    now = timezone.now()
    slots = list(
        HearingSlot.objects.filter(session__jury=user, invitation__isnull=False)
        .select_related("session__call", "invitation__application__organisation")
        .order_by("starts_at", "pk")
    )
    seats = {
        a.application_id: a
        for a in ReviewAssignment.objects.filter(
            reviewer=user,
            track=hearings.HEARING,
            application__in=[s.invitation.application_id for s in slots],
        )
    }
    rows = []
    for slot in slots:
        invitation = slot.invitation
        seat = seats.get(invitation.application_id)
        url, action = _seat_link(seat)
        rows.append(
            {
                "slot": slot,
                "session": slot.session,
                "invitation": invitation,
                "application": invitation.application,
                "seat": seat,
                "url": url,
                "action": action,
                "may_record": slot.starts_at <= now
                and seat is not None
                and seat.conflict == Conflict.NONE,
            }
        )
    return render(
        request,
        "evaluation/hearing_jury.html",
        {"rows": rows, "attendance_choices": AttendanceForm.base_fields["attendance"].choices},
    )
