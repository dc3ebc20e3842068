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
from evaluation.demo import DEMO_PROJECTS
from evaluation.states import ApplicationStatus
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
    """The workflow demo's first funded application gets a published sheet, unless it has
    one already (staff prepared it: theirs to edit and publish)."""
    application = (
        Application.objects.filter(
            status=ApplicationStatus.FUNDED,
            organisation__legal_name__in=[project[0] for project in DEMO_PROJECTS],
            project_title__in=[project[3] for project in DEMO_PROJECTS],
        )
        .select_related("organisation", "call")
        .order_by("pk")
        .first()
    )
    if application is None or PublicProject.objects.filter(application=application).exists():
        return
    sheet = prepare_sheet(application)
    if not sheet.amount_granted:
        sheet.amount_granted = application.amount_requested or Decimal(0)
    sheet.status = PublicProject.Status.PUBLISHED
    sheet.published_at = timezone.now()
    sheet.save()
