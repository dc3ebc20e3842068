"""The committee's decision letter (courrier de décision) as a PDF, rendered with WeasyPrint.

Always in French, the legal language of the procedure. A rejection states its motive first,
before anything else in the letter's body: applicants of past calls complained that the
refusal motive was hard to find in the letter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from core.pdf import render_pdf
from grants.receipts import exact_euros

if TYPE_CHECKING:
    from .models import CommitteeDecision

PARIS = ZoneInfo("Europe/Paris")


def calls_url(call) -> str:
    """Where the applicant finds the other calls: the calls index, else the site's root."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    try:
        parent = call.get_parent()
        url = parent.get_url() if parent else None
    except Exception:  # noqa: BLE001 — a page tree without site: fall back to the root
        url = None
    if not url:
        return base + "/"
    return url if url.startswith("http") else base + url


def project_lead(application) -> dict:
    answers = application.frozen_answers
    lead = (answers.get("equipe") or {}).get("lead") or {}
    return {"name": lead.get("name", ""), "role": lead.get("role", "")}


def decision_letter_context(decision: CommitteeDecision) -> dict:
    application = decision.application
    call = application.call
    organisation = application.organisation
    decided_at = timezone.localtime(decision.decided_at, PARIS)
    selected = decision.outcome == decision.Outcome.SELECTED
    return {
        "decision": decision,
        "selected": selected,
        "motivation": decision.motivation,
        "reference": application.reference,
        "project_title": application.project_title or str(application),
        "call_title": call.title,
        "operator": call.operator,
        "organisation": organisation,
        "lead": project_lead(application),
        "letter_date": formats.date_format(decided_at, "j F Y"),
        "session_title": decision.session.title,
        "session_date": formats.date_format(decision.session.held_on, "j F Y"),
        "amount_granted": exact_euros(str(decision.amount_granted)) if selected else "",
        "amount_requested": exact_euros(str(application.amount_requested)),
        "contact_name": call.contact_name,
        "contact_email": call.contact_email,
        "calls_url": calls_url(call),
    }


def decision_letter_html(decision: CommitteeDecision) -> str:
    """The letter's HTML, always in French; what ``render_decision_letter`` prints."""
    with translation.override("fr"):
        return render_to_string(
            "evaluation/decision_letter.html", decision_letter_context(decision)
        )


def render_decision_letter(decision: CommitteeDecision) -> bytes:
    """The decision letter as PDF bytes."""
    return render_pdf(decision_letter_html(decision))
