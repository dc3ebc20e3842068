"""Demo catalogue: published sheets of funded projects, so that a visitor of the demo finds a
living /catalogue/. Idempotent: sheets are matched by slug and updated in place.

Needs the demo calls and themes (cms.demo.load_demo). A funded application of the workflow
demo (evaluation.demo), if there is one, also gets its published sheet.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cms.demo import paris
from cms.models import CallPage, Theme
from core.vocabulary import ApplicationStatus
from evaluation.demo import DEMO_PROJECTS
from grants.models import Application

from . import demo_data
from .backends import get_backend
from .models import PublicProject
from .publication import prepare_sheet


def load_demo_catalogue() -> int:
    """Write the demo sheets, then rebuild the search index; returns how many sheets the
    catalogue publishes."""
    with transaction.atomic():
        calls = {
            call.slug: call for call in CallPage.objects.filter(slug__in=demo_data.CALLS.values())
        }
        themes = {theme.slug: theme for theme in Theme.objects.all()}
        for data in demo_data.SHEETS:
            _load_sheet(data, calls, themes)
        _publish_funded_demo_application()
    return get_backend().rebuild()


def _load_sheet(data: dict, calls: dict[str, CallPage], themes: dict[str, Theme]) -> None:
    organisation, region, call_key, year, amount, trl, published_on = data["facts"]
    call = calls.get(demo_data.CALLS[call_key])
    sheet, _ = PublicProject.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "summary": data["summary"],
            "description": data["description"],
            "organisation_name": organisation,
            "region": region,
            "call": call,
            "call_title": call.title if call else "",
            "year": year,
            "amount_granted": Decimal(amount),
            "trl": trl,
            "partners": "\n".join(data["partners"]),
            "website": data["website"],
            "status": PublicProject.Status.PUBLISHED,
            "published_at": paris(f"{published_on} 10:00"),
        },
    )
    sheet.themes.set(
        [themes[slug] for slug in (slugify(name) for name in data["themes"]) if slug in themes]
    )


def _publish_funded_demo_application() -> None:
    """The workflow demo's first funded application, and the funding demo's projects whose
    public status staff approved (completed, stopped), get a published sheet, unless they
    have one already (staff prepared it: theirs to edit and publish)."""
    funded = Application.objects.filter(status=ApplicationStatus.FUNDED).select_related(
        "organisation", "call"
    )
    first = (
        funded.filter(
            organisation__legal_name__in=[project[0] for project in DEMO_PROJECTS],
            project_title__in=[project[3] for project in DEMO_PROJECTS],
        )
        .order_by("pk")
        .first()
    )
    followed = funded.filter(convention__public_progress__show_status=True).order_by("pk")
    for application in [first, *followed]:
        if application is not None:
            _publish(application)


def _publish(application) -> None:
    if PublicProject.objects.filter(application=application).exists():
        return
    sheet = prepare_sheet(application)
    if not sheet.amount_granted:
        sheet.amount_granted = application.amount_requested or Decimal(0)
    sheet.status = PublicProject.Status.PUBLISHED
    sheet.published_at = timezone.now()
    sheet.save()
