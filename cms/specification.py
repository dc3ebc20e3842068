"""The call specification (cahier des charges) as a PDF, rendered with WeasyPrint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import render_pdf

if TYPE_CHECKING:
    from .models import CallPage


def render_call_specification(call: CallPage) -> bytes:
    """A printable summary of the call: schedule, funding, eligibility, criteria, tracks, FAQ."""
    with translation.override("fr"):
        html = render_to_string(
            "cms/call_specification.html",
            {
                "call": call,
                "first_stage_cutoffs": call.sorted_cutoffs(1),
                "second_stage_cutoffs": call.sorted_cutoffs(2),
            },
        )
    return render_pdf(html)
