"""Template helpers of the review tracks for the staff pages."""

from __future__ import annotations

from django import template

from ..report import ReviewSummary
from ..report import review_summary as summarise

register = template.Library()


@register.simple_tag
def review_summary(application) -> ReviewSummary:
    """``{% review_summary application as summary %}``: each required track's outcome (score
    out of 100, spread, disagreement, blocking failures, invited / submitted), its grid and the
    experts still missing, and the overall score."""
    return summarise(application)
