"""Published project sheets for the search tests, with only what a test cares about."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.vocabulary import Region
from search.models import PublicProject

_numbers = itertools.count(1)


def sheet(
    title: str,
    summary: str = "Un projet financé.",
    *,
    themes=(),
    region: str = Region.BRETAGNE,
    amount: int | str = 100_000,
    published: bool = True,
    days_ago: int = 0,
    year: int = 2026,
    trl: int | None = None,
) -> PublicProject:
    n = next(_numbers)
    project = PublicProject.objects.create(
        slug=f"projet-{n}",
        title=title,
        summary=summary,
        organisation_name=f"Organisation {n}",
        region=region,
        year=year,
        trl=trl,
        amount_granted=Decimal(amount),
        status=PublicProject.Status.PUBLISHED if published else PublicProject.Status.DRAFT,
        published_at=timezone.now() - timedelta(days=days_ago) if published else None,
    )
    project.themes.set(themes)
    return project
