"""Back office: the selection committee — its sessions, the ranked applications of a session
with a decision form for each, and the decision letters.

Programme staff see, create and close the sessions of the calls they run; committee members
see the sessions they sit on and decide while a session is open. Decisions go through
``evaluation.committee.decide`` (which fires the workflow's transition and emails the letter);
the workflow's own permission check stays the last word.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.models import CallPage
from core.mfa import sensitive_action
from core.roles import COMMITTEE_GROUP, is_programme_staff
from core.vocabulary import ApplicationStatus, ReviewTrack
from grants.models import Application

from ..committee import (
    SESSION_CLOSED,
    close_session,
    decide,
    held_applications,
    may_decide_in,
    runs_session,
    sits_on,
)
from ..committee_forms import DecisionForm, SessionForm, person_label
from ..letters import render_decision_letter
from ..models import CommitteeDecision, CommitteeSession, ConflictDeclaration
from ..ranking import RankedApplication, rank
from ..workflow import TransitionRefused

Outcome = CommitteeDecision.Outcome


# -- Sessions ----------------------------------------------------------------------------


@login_required
@sensitive_action  # creates a session with its members
def committee_sessions(request: HttpRequest) -> HttpResponse:
    staff = is_programme_staff(request.user)
    if staff:
        sessions = CommitteeSession.objects.filter(
            call__in=CallPage.objects.run_by(request.user).values("pk")
        )
    else:
        sessions = request.user.committee_sessions.all()
        in_group = request.user.groups.filter(name=COMMITTEE_GROUP).exists()
        if not in_group and not sessions.exists():
            raise PermissionDenied
    # Open sessions first, then the most recent.
    sessions = (
        sessions.select_related("call", "cutoff")
        .prefetch_related("members")
        .annotate(decision_count=Count("decisions"))
        .order_by(F("closed_at").asc(nulls_first=True), "-held_on", "-pk")
    )

    form = None
    if staff:
        form = SessionForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            session = form.save()
            messages.success(request, _("La séance « %(title)s » est créée.") % {"title": session})
            return redirect("evaluation:committee_session", session.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "evaluation/committee_sessions.html",
        {"sessions": sessions, "form": form, "is_staff": staff},
    )


@dataclass
class SessionRow:
    rank: int
    ranked: RankedApplication
    decision: CommitteeDecision | None
    form: DecisionForm | None
    # The viewing member's declaration of interests (None: not declared, or not a member).
    declared: ConflictDeclaration | None = None

    @property
    def application(self) -> Application:
        return self.ranked.application


def _granted_on_call(call) -> Decimal:
    """What the committee granted on the call so far, every session included (the envelope
    check in services counts the same)."""
    return CommitteeDecision.objects.filter(
        application__call=call, outcome=Outcome.SELECTED
    ).aggregate(total=Sum("amount_granted"))["total"] or Decimal(0)


def _session_rows(session, user, can_decide: bool, bound: DecisionForm | None) -> list[SessionRow]:
    decisions: dict[int, CommitteeDecision] = {}
    for decision in (
        session.decisions.select_related("decided_by")
        .prefetch_related("excluded_members")
        .order_by("decided_at", "pk")
    ):
        decisions[decision.application_id] = decision  # the latest wins
    declarations = {
        d.application_id: d for d in session.conflict_declarations.filter(member_id=user.pk)
    }
    member = sits_on(session, user)
    applications = held_applications(session).select_related("organisation", "call")
    rows = []
    for position, ranked in enumerate(rank(applications), start=1):
        application = ranked.application
        decision = decisions.get(application.pk)
        declared = declarations.get(application.pk)
        # A member decides once they declared no conflict; an administrator standing in may.
        cleared = not member or (declared is not None and not declared.conflicted)
        form = None
        if (
            decision is None
            and can_decide
            and cleared
            and application.status == ApplicationStatus.COMMITTEE
        ):
            if bound is not None and bound.application.pk == application.pk:
                form = bound
            else:
                form = DecisionForm(application=application)
        rows.append(SessionRow(position, ranked, decision, form, declared))
    return rows


@login_required
@sensitive_action  # decides, closes
def committee_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(CommitteeSession.objects.select_related("call", "cutoff"), pk=pk)
    staff = runs_session(session, request.user)
    member = sits_on(session, request.user)
    if not (staff or member):  # staff includes administrators
        raise PermissionDenied
    can_decide = may_decide_in(session, request.user)

    bound = None
    if request.method == "POST":
        action = request.POST.get("action")
        here = reverse("evaluation:committee_session", args=[session.pk])
        if action == "close":
            if not staff:
                raise PermissionDenied
            try:
                close_session(session, request.user)
            except TransitionRefused as refused:
                for message in refused.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("La séance est close : plus aucune décision n'y sera prise.")
                )
            return redirect(here)
        if action != "decide":
            return redirect(here)
        if not can_decide:
            messages.error(
                request,
                SESSION_CLOSED
                if session.closed_at
                else _("Seuls les membres de cette séance peuvent décider."),
            )
            return redirect(here)
        application_id = request.POST.get("application", "")
        if not application_id.isdigit():
            raise Http404
        application = get_object_or_404(
            held_applications(session).select_related("call", "organisation"),
            pk=int(application_id),
        )
        bound = DecisionForm(request.POST, application=application)
        if bound.is_valid():
            try:
                decision = decide(
                    application,
                    session,
                    request.user,
                    bound.cleaned_data["outcome"],
                    bound.cleaned_data["motivation"],
                    bound.cleaned_data["amount"],
                )
            except TransitionRefused as refused:
                for message in refused.messages:
                    bound.add_error(None, message)
            else:
                messages.success(
                    request,
                    _(
                        "Décision enregistrée pour le dossier %(reference)s (%(outcome)s) ; "
                        "le courrier est envoyé au candidat."
                    )
                    % {
                        "reference": application.reference,
                        "outcome": decision.get_outcome_display(),
                    },
                )
                return redirect(f"{here}#dossier-{application.pk}")

    call = session.call
    granted = _granted_on_call(call)
    rows = _session_rows(session, request.user, can_decide, bound)
    if bound is not None and bound.errors and not any(row.form is bound for row in rows):
        # Decided meanwhile (another member, another tab): no form left to show the errors.
        for message in bound.non_field_errors():
            messages.error(request, message)
    return render(
        request,
        "evaluation/committee_session.html",
        {
            "session": session,
            "call": call,
            "hears": call.requires_track(ReviewTrack.HEARING),
            "rows": rows,
            "undecided": [row for row in rows if row.decision is None],
            "decided": [row for row in rows if row.decision is not None],
            "bound": bound if bound is not None and bound.errors else None,
            "envelope": call.budget_envelope,
            "granted": granted,
            "left": call.budget_envelope - granted,
            "is_staff": staff,
            "is_member": member,
            "can_decide": can_decide,
            "members": [person_label(m) for m in session.members.order_by("last_name", "email")],
        },
    )


# -- Decision letters --------------------------------------------------------------------


@login_required
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter is for staff, the session's members and the applicant organisation: to
    anyone else the decision does not exist."""
    decision = get_object_or_404(
        CommitteeDecision.objects.select_related(
            "session", "application__call__operator", "application__organisation"
        ),
        pk=pk,
    )
    user = request.user
    allowed = (
        (is_programme_staff(user) and decision.application.call.is_run_by(user))
        or sits_on(decision.session, user)
        or decision.application.organisation.memberships.filter(user=user).exists()
    )
    if not allowed:
        raise Http404
    response = HttpResponse(render_decision_letter(decision), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="decision-{decision.application.reference}.pdf"'
    )
    return response
