"""Review tracks, staff side: assigning experts to an application (one by one or for a batch
of applications), the experts' workload, and the evaluation report.

Every view is for programme staff (permission ``evaluation.manage_workflow``): anonymous
visitors are sent to the login page, anyone else gets a 403 before any lookup. One
exception: the anonymised report is also the applicant's feedback, downloadable by the
members of the applicant organisation once the committee has decided (404 before).

The rules of assignment are ``ethics.services.assign``'s; these views only gather the
experts and say why one was refused.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mfa import sensitive_action
from core.roles import REVIEWERS_GROUP, staff_only
from core.vocabulary import CLOSED_STATES, EXPERT_TRACKS, ReviewTrack
from grants.models import Application

from ..models import Review, ReviewAssignment
from ..outcomes import track_outcome
from ..report import track_label
from ..services import (
    CLOSED_FILE,
    BulkResult,
    ReviewRefused,
    fill_gaps,
    grid_for,
    obvious_conflict,
)
from ..services import assign as assign_reviewer
from ..staff_forms import AssignForm, BulkAssignForm
from ..workload import (
    OPEN_STATES,
    Counts,
    current_loads,
    expert_label,
    experts_for,
    workload_counts,
)

logger = logging.getLogger(__name__)
User = get_user_model()


# -- One application: its experts ------------------------------------------------------------


def staff_application(user, pk: int) -> Application:
    """A submitted application of a call ``user`` runs; a 404 for any other."""
    queryset = Application.objects.handled_by(user).select_related("call", "organisation")
    return get_object_or_404(queryset, pk=pk)


def _review_state(assignment: ReviewAssignment) -> str:
    if assignment.conflict == ReviewAssignment.Conflict.CONFLICTED:
        return _("Sans objet (conflit d'intérêts)")
    review = assignment.current_review()
    if review is None:
        return _("Pas encore commencé")
    if review.status == Review.Status.SUBMITTED:
        return _("Rendu le %(date)s (version %(version)s)") % {
            "date": timezone.localtime(review.submitted_at).strftime("%d/%m/%Y"),
            "version": review.version,
        }
    return _("Brouillon (version %(version)s)") % {"version": review.version}


def removable(assignment: ReviewAssignment) -> bool:
    """An expert who has not declared yet, or declared a conflict, and never submitted a
    review, may be taken off the application (to be replaced)."""
    return assignment.conflict in (
        ReviewAssignment.Conflict.PENDING,
        ReviewAssignment.Conflict.CONFLICTED,
    ) and not any(r.status == Review.Status.SUBMITTED for r in assignment.reviews.all())


CONFLICT_BADGES = {
    ReviewAssignment.Conflict.PENDING: "new",
    ReviewAssignment.Conflict.NONE: "success",
    ReviewAssignment.Conflict.CONFLICTED: "error",
}


def _track_blocks(application: Application, bound: AssignForm | None) -> list[dict]:
    loads = current_loads()
    conflicts: dict[int, str] = {}  # expert id → obvious conflict, computed once per expert
    blocks = []
    for required in application.call.review_tracks.all():
        track = required.track
        if track not in EXPERT_TRACKS:
            continue  # the hearing's jury is seated by its hearing session
        call_grid = grid_for(application, track)
        assignments = list(
            application.review_assignments.filter(track=track)
            .select_related("reviewer")
            .prefetch_related("reviews")
            .order_by("assigned_at", "pk")
        )
        rows = [
            {
                "assignment": a,
                "reviewer": expert_label(a.reviewer),
                "conflict_badge": CONFLICT_BADGES.get(a.conflict, "info"),
                "review_state": _review_state(a),
                "removable": removable(a),
            }
            for a in assignments
        ]
        taken = {a.reviewer_id for a in assignments}
        choices = []
        for expert in experts_for(track):
            if expert.pk in taken:
                continue
            if expert.pk not in conflicts:
                conflicts[expert.pk] = obvious_conflict(application, expert)
            label = _("%(expert)s — charge en cours : %(load)s") % {
                "expert": expert_label(expert),
                "load": loads.get(expert.pk, 0),
            }
            if conflicts[expert.pk]:
                label += " — " + _("conflit probable : %(reason)s") % {
                    "reason": conflicts[expert.pk]
                }
            choices.append((expert.pk, label))
        form = bound if bound is not None and bound.initial.get("track") == track else None
        outcome = track_outcome(application, track)
        expected = call_grid.reviewers_per_application if call_grid else 0
        blocks.append(
            {
                "track": track,
                "label": track_label(track),
                "call_grid": call_grid,
                "outcome": outcome,
                "expected": expected,
                "missing": max(expected - outcome.assigned_reviews, 0),
                "rows": rows,
                "form": form or AssignForm(track=track, choices=choices),
                "has_choices": bool(choices),
            }
        )
        if form is not None:
            form.fields["reviewers"].choices = choices
    return blocks


def _assign_from_page(request: HttpRequest, application: Application) -> AssignForm | None:
    """Assign the ticked experts; None when done (messages say what happened), else the
    bound form with its errors."""
    track = request.POST.get("track", "")
    if track not in EXPERT_TRACKS or not application.call.requires_track(track):
        messages.error(request, _("L'appel ne prévoit pas cette expertise."))
        return None
    form = AssignForm(request.POST, track=track, choices=[], initial={"track": track})
    if not form.is_valid():
        return form
    if application.status in CLOSED_STATES:
        messages.error(request, str(CLOSED_FILE))
        return None
    found = User.objects.in_bulk(form.cleaned_data["reviewers"])
    assigned = []
    for pk in form.cleaned_data["reviewers"]:
        reviewer = found.get(pk)
        if reviewer is None:
            messages.error(request, _("Expert introuvable (n° %(pk)s).") % {"pk": pk})
            continue
        try:
            assign_reviewer(
                application, track, reviewer, request.user, due_on=form.cleaned_data["due_on"]
            )
        except ReviewRefused as refusal:
            messages.error(
                request,
                _("%(expert)s n'a pas été affecté(e) : %(reason)s")
                % {"expert": expert_label(reviewer), "reason": refusal.message},
            )
        else:
            assigned.append(expert_label(reviewer))
    if assigned:
        messages.success(
            request,
            ngettext(
                "Expertise « %(track)s » : %(experts)s affecté(e) et prévenu(e) par courriel.",
                "Expertise « %(track)s » : %(experts)s affecté(e)s et prévenu(e)s par courriel.",
                len(assigned),
            )
            % {"track": track_label(track), "experts": ", ".join(assigned)},
        )
    return None


def _remove_from_page(request: HttpRequest, application: Application) -> str:
    """Take an expert off the application; returns the track (for the anchor)."""
    try:
        pk = int(request.POST.get("assignment", ""))
    except ValueError:
        raise Http404 from None
    try:
        with transaction.atomic():
            assignment = get_object_or_404(
                ReviewAssignment.objects.select_for_update().select_related("reviewer"),
                pk=pk,
                application=application,
            )
            track, who = assignment.track, expert_label(assignment.reviewer)
            if not removable(assignment):
                messages.error(
                    request,
                    _(
                        "%(expert)s ne peut pas être retiré(e) : seul un expert qui n'a pas "
                        "encore déclaré ses liens d'intérêts, ou qui a déclaré un conflit, et "
                        "n'a rendu aucun avis peut l'être."
                    )
                    % {"expert": who},
                )
                return track
            conflict = assignment.get_conflict_display()
            assignment.delete()
    except ProtectedError:
        messages.error(request, _("Cet expert a commencé son avis : il ne peut plus être retiré."))
        return ""
    logger.info(
        "Assignment %s removed by user %s: reviewer %s, application %s, track %s (%s).",
        pk,
        request.user.pk,
        who,
        application.pk,
        track,
        conflict,
    )
    messages.success(
        request,
        _("%(expert)s est retiré(e) de l'expertise « %(track)s ».")
        % {"expert": who, "track": track_label(track)},
    )
    return track


@staff_only
@sensitive_action  # who reads the file
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = staff_application(request.user, pk)
    bound = None
    if request.method == "POST":
        action = request.POST.get("action")
        anchor = request.POST.get("track", "")
        if action == "assign":
            bound = _assign_from_page(request, application)
        elif action == "remove":
            anchor = _remove_from_page(request, application)
        if bound is None:
            url = reverse("ethics:assign", args=[application.pk])
            return redirect(f"{url}#expertise-{anchor}" if anchor in ReviewTrack.values else url)
    return render(
        request,
        "ethics/staff_assign.html",
        {
            "application": application,
            "tracks": _track_blocks(application, bound),
            "closed": application.status in CLOSED_STATES,
            "has_errors": bound is not None and bool(bound.errors),
        },
    )


# -- A batch of applications ---------------------------------------------------------------


@staff_only
@sensitive_action
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """GET: the open applications whose call requires the chosen track, to tick. POST: fill
    each ticked application (each in its own transaction) and report application by
    application. Posting twice assigns nobody twice: only the gaps are filled."""
    results: list[BulkResult] = []
    if request.method == "POST":
        form = BulkAssignForm(request.POST)
        if form.is_valid():
            track = form.cleaned_data["track"]
            experts = experts_for(track)
            loads = current_loads()
            ids = form.cleaned_data["dossiers"]
            found = Application.objects.handled_by(request.user).in_bulk(ids)
            for pk in ids:
                if pk not in found:
                    results.append(
                        BulkResult(
                            None, _("n° %(pk)s") % {"pk": pk}, note=_("Dossier introuvable.")
                        )
                    )
                    continue
                results.append(fill_gaps(pk, track, request.user, experts, loads))
    else:
        form = BulkAssignForm(initial={"track": request.GET.get("expertise", "")})
    track = request.POST.get("track") if request.method == "POST" else request.GET.get("expertise")
    candidates = []
    if track in EXPERT_TRACKS:
        open_active = Q(review_assignments__track=track) & ~Q(
            review_assignments__conflict=ReviewAssignment.Conflict.CONFLICTED
        )
        applications = (
            Application.objects.handled_by(request.user)
            .filter(status__in=OPEN_STATES, call__review_tracks__track=track)
            .select_related("call", "organisation")
            .annotate(active=Count("review_assignments", filter=open_active, distinct=True))
            .order_by("pk")
        )
        grids: dict[int, object] = {}
        for application in applications:
            if application.call_id not in grids:
                grids[application.call_id] = grid_for(application, track)
            candidates.append(
                {
                    "application": application,
                    "call_grid": grids[application.call_id],
                    "active": application.active,
                }
            )
    return render(
        request,
        "ethics/staff_bulk_assign.html",
        {
            "form": form,
            "track": track if track in EXPERT_TRACKS else "",
            "track_label": track_label(track) if track in EXPERT_TRACKS else "",
            "track_choices": [(t.value, t.label) for t in EXPERT_TRACKS],
            "candidates": candidates,
            "results": results,
            "has_errors": form.is_bound and bool(form.errors),
        },
    )


# -- Workload ------------------------------------------------------------------------------


@staff_only
def workload(request: HttpRequest) -> HttpResponse:
    counts = workload_counts()
    profiles = {
        u.pk: u
        for u in User.objects.filter(groups__name=REVIEWERS_GROUP, reviewer_profile__isnull=False)
        .select_related("reviewer_profile")
        .distinct()
    }
    people = {**User.objects.in_bulk({reviewer_id for reviewer_id, _track in counts}), **profiles}
    order = list(ReviewTrack.values)
    rows = []
    for user in sorted(
        people.values(), key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.email)
    ):
        profile = getattr(user, "reviewer_profile", None)
        tracks = set(profile.tracks if profile else []) | {t for pk, t in counts if pk == user.pk}
        for track in sorted(tracks, key=lambda t: order.index(t) if t in order else len(order)):
            rows.append(
                {
                    "expert": expert_label(user),
                    "track": track_label(track),
                    "qualified": bool(profile and profile.covers(track)),
                    "in_pool": user.pk in profiles and user.is_active,
                    "counts": counts.get((user.pk, track), Counts()),
                }
            )
    totals = Counts()
    for row in counts.values():
        for name in ("assigned", "declared", "conflicted", "submitted", "pending", "overdue"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return render(request, "ethics/staff_workload.html", {"rows": rows, "totals": totals})
