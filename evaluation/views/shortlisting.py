"""Back office: shortlisting a two-stage call's pre-proposals, and the first stage's letter.

One page per call lists the pre-proposals waiting for a decision (under eligibility check)
and those decided. Staff decide row by row (an outcome and its reason each) or tick several
rows and give them one outcome and one reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.models import CallPage
from core.mfa import sensitive_action
from core.roles import is_programme_staff, staff_only
from core.vocabulary import ApplicationStatus
from grants.models import Application

from ..models import ShortlistDecision
from ..shortlist_letters import render_letter
from ..shortlisting import Choice, decide_many

Outcome = ShortlistDecision.Outcome


def _choices(post, pending_ids: list[int]) -> list[Choice]:
    """The decisions posted: each row's own outcome and reason; ticked rows without their own
    take the common outcome and reason."""
    bulk_outcome = post.get("bulk_outcome", "")
    bulk_reason = post.get("bulk_reason", "")
    ticked = set(post.getlist("selected"))
    choices = []
    for pk in pending_ids:
        outcome = post.get(f"outcome-{pk}", "")
        reason = post.get(f"reason-{pk}", "")
        if not outcome and str(pk) in ticked:
            outcome, reason = bulk_outcome, reason.strip() or bulk_reason
        if outcome or reason.strip():
            choices.append(Choice(pk, outcome, reason))
    return choices


@staff_only
@sensitive_action  # decides the first stage
def shortlist(request: HttpRequest, call_pk: int) -> HttpResponse:
    call = get_object_or_404(CallPage.objects.run_by(request.user), pk=call_pk)
    if not call.is_two_stage:
        raise Http404
    pre_proposals = (
        Application.objects.filter(call=call, stage=1)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("organisation", "cutoff", "shortlist_decision__full_application_due")
        .order_by("cutoff__closes_at", "submitted_at", "pk")
    )
    pending = [a for a in pre_proposals if a.status == ApplicationStatus.ELIGIBILITY]
    refused: dict[int, list[str]] = {}
    if request.method == "POST":
        choices = _choices(request.POST, [a.pk for a in pending])
        if not choices:
            messages.error(request, _("Choisissez au moins une décision."))
        else:
            done, refused = decide_many(call, request.user, choices)
            if done:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s décision enregistrée ; le candidat est prévenu.",
                        "%(n)s décisions enregistrées ; les candidats sont prévenus.",
                        done,
                    )
                    % {"n": done},
                )
            if not refused:
                return redirect("evaluation:shortlist", call_pk=call.pk)
            # Some were refused: the page again, as it is now, with what was typed for them.
            pre_proposals = pre_proposals.all()
            pending = [a for a in pre_proposals if a.status == ApplicationStatus.ELIGIBILITY]
    decided = [a for a in pre_proposals if hasattr(a, "shortlist_decision")]
    # Not yet taken up for the eligibility check.
    waiting = [a for a in pre_proposals if a.status == ApplicationStatus.SUBMITTED]
    rows = [
        {
            "application": a,
            "refused": refused.get(a.pk, []),
            "outcome": request.POST.get(f"outcome-{a.pk}", "") if refused else "",
            "reason": request.POST.get(f"reason-{a.pk}", "") if refused else "",
        }
        for a in pending
    ]
    return render(
        request,
        "evaluation/shortlist.html",
        {
            "call": call,
            "rows": rows,
            "decided": decided,
            "waiting": waiting,
            "outcomes": Outcome.choices,
            "has_errors": bool(refused),
        },
    )


@login_required
def shortlist_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """For the call's staff and the applicant organisation: to anyone else it does not exist."""
    decision = get_object_or_404(
        ShortlistDecision.objects.select_related(
            "application__call__operator", "application__organisation", "full_application_due"
        ),
        pk=pk,
    )
    user = request.user
    application = decision.application
    allowed = (
        is_programme_staff(user) and application.call.is_run_by(user)
    ) or application.organisation.memberships.filter(user=user).exists()
    if not allowed:
        raise Http404
    response = HttpResponse(render_letter(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preselection-{application.reference}.pdf"'
    return response
