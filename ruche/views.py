"""Where each person's work is: staff on the back office, the committee on its sessions,
experts on their reviews, applicants on their space. Used after sign-in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.roles import is_committee_user, is_programme_staff


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    user = request.user
    if is_programme_staff(user):
        return redirect("evaluation:queues")
    if is_committee_user(user):
        return redirect("evaluation:committee_sessions")
    if hasattr(user, "reviewer_profile"):
        return redirect("ethics:assignments")
    return redirect("grants:dashboard")
