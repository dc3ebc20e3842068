"""Project-level pages: where each person's work is (after sign-in), the admins' sign-in, the
health endpoint."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import health
from core.roles import is_committee_user, is_jury_user, is_programme_staff

from .health import NODE_CHECKS, checks


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Staff on the back office, the committee on its sessions, hearing juries on their
    hearings, experts on their reviews, applicants on their space."""
    user = request.user
    if is_programme_staff(user):
        return redirect("evaluation:queues")
    if is_committee_user(user):
        return redirect("evaluation:committee_sessions")
    if is_jury_user(user):
        return redirect("evaluation:hearing_jury")
    if hasattr(user, "reviewer_profile"):
        return redirect("ethics:assignments")
    return redirect("grants:dashboard")


def admin_sign_in(request: HttpRequest, home: str) -> HttpResponse:
    """The CMS admin's and Django admin's own password forms would skip the second factor:
    both send to the site's sign-in page, which comes back to where the person was going."""
    next_url = request.GET.get("next") or home
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


@never_cache
@require_GET
def health_check(request: HttpRequest) -> JsonResponse:
    """``ok`` when every check passes. ``error`` and 503 when this node cannot serve (no
    database, no cache): the load balancer takes it out. ``degraded`` and 200 when a shared
    service is late or down (the task queue, the search engine): every node would fail alike,
    and applicants can still work, so monitoring alerts while the nodes keep serving."""
    ok, results = health.run(checks())
    if ok:
        status = "ok"
    elif any(not results[name]["ok"] for name in NODE_CHECKS):
        status = "error"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "checks": results}, status=503 if status == "error" else 200
    )
