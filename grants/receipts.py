"""The submission receipt (récépissé de dépôt) as a PDF, rendered with WeasyPrint.

Everything shown comes from the frozen snapshot, never from the live rows: the organisation,
the call or the answers may change after submission, the receipt must not.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.formatting import grouped_amount
from core.mail import absolute_url
from core.pdf import render_pdf

from .application_forms import form_of

if TYPE_CHECKING:
    from .models import Application

PARIS = ZoneInfo("Europe/Paris")


def paris_datetime(iso: str) -> str:
    """'25 novembre 2026 à 14:03:12 (heure de Paris)', whatever the active time zone."""
    local = timezone.localtime(datetime.fromisoformat(iso), PARIS)
    return _("%(date)s à %(time)s (heure de Paris)") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i:s"),
    }


def exact_euros(value: str | None) -> str:
    """'250 000,00 €': a receipt states the exact amount, not the rounded '250 k€'."""
    try:
        amount = Decimal(value)
    except (TypeError, InvalidOperation):
        return "—"  # amount missing at submission: str(None) was frozen as "None"
    return f"{grouped_amount(amount, 2)}\u00a0€"


def receipt_context(application: Application) -> dict:
    """What the receipt and its email show, read from the snapshot only."""
    snapshot = application.snapshot
    if not snapshot:
        raise ValueError(f"Application {application.pk} has no snapshot: it was never submitted.")
    project = snapshot["answers"].get("projet", {})
    # Slot labels come from the frozen version of the form, not from data the applicant edits.
    slots = form_of(application).slots_by_key
    attachments = [
        {
            **frozen,
            "slot_label": slots[frozen["slot"]].label
            if frozen["slot"] in slots
            else frozen["slot"],
            "size_bytes": grouped_amount(frozen["size"]),
        }
        for frozen in snapshot["attachments"]
    ]
    signature = snapshot.get("declarations")
    return {
        "reference": snapshot["reference"],
        "call_title": snapshot["call"]["title"],
        "organisation": snapshot["organisation"],
        "project_title": snapshot.get("project_title") or project.get("title", ""),
        "project_acronym": project.get("acronym", ""),
        "amount_requested": exact_euros(snapshot.get("amount_requested")),
        "total_cost": exact_euros(snapshot.get("total_cost")),
        "submitted_at": paris_datetime(snapshot["submitted_at"]),
        "attachments": attachments,
        "signature": {**signature, "signed_at": paris_datetime(signature["signed_at"])}
        if signature
        else None,
        # The stored fingerprint is what the receipt certifies; verify_receipt re-checks it.
        "fingerprint": application.fingerprint,
        "verify_url": absolute_url(reverse("grants:verify_receipt")),
    }


def receipt_html(application: Application) -> str:
    """The receipt's HTML, always in French (the legal language of the procedure)."""
    with translation.override("fr"):
        return render_to_string("grants/receipt_pdf.html", receipt_context(application))


def render_receipt(application: Application) -> bytes:
    """The receipt as PDF bytes; ValueError if the application was never submitted."""
    return render_pdf(receipt_html(application))
