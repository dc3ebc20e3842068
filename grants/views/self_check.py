"""The eligibility self-check of a call, for visitors without an account.

Answered by GET: the verdict is computed from the query string and shown at once; nothing is
stored, so a visitor may try again with other answers or share the link. An eligible visitor
starts a draft from there, the answers it can use posted with the button (after signing in,
the visitor comes back to the same address, answers included).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cms.models import CallPage

from ..forms.self_check import SelfCheckForm
from ..services.drafts import SELF_CHECK_ANSWERS
from ..services.eligibility import self_check


def call_self_check(request: HttpRequest, call_id: int) -> HttpResponse:
    page = get_object_or_404(CallPage.objects.live(), pk=call_id)
    form = SelfCheckForm(request.GET or None)
    verdicts = None
    if form.is_valid():
        verdicts = self_check(page.reference, form.facts())
    return render(
        request,
        "grants/self_check.html",
        {
            "page": page,
            "form": form,
            "verdicts": verdicts,
            "eligible": verdicts is not None and all(v.passed is not False for v in verdicts),
            # What the draft may take from these answers (grants.services.drafts).
            "carried": {
                name: request.GET[name] for name in SELF_CHECK_ANSWERS if name in request.GET
            }
            if verdicts is not None
            else {},
        },
    )
