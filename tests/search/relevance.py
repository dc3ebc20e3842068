"""Loading the judged set (relevance_data.py) and scoring a backend on it: precision at 5,
recall at 10 and the mean reciprocal rank of the first expected sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from cms.models import Theme
from core.vocabulary import Region
from search.backends.base import CatalogueQuery, SearchBackend
from search.models import PublicProject

from .relevance_data import QUERIES, SHEETS

REGIONS = [code for code, _label in Region.choices]


def load_corpus() -> dict[str, int]:
    """The judged sheets, published (one day apart, so that no tie decides a ranking);
    returns their ids by key."""
    now = timezone.now()
    ids = {}
    for n, (key, (title, summary, organisation, themes)) in enumerate(SHEETS.items()):
        sheet = PublicProject.objects.create(
            slug=f"jugee-{key}",
            title=title,
            summary=summary,
            organisation_name=organisation,
            region=REGIONS[n % len(REGIONS)],
            year=2021 + n % 6,
            amount_granted=Decimal(100_000 + 25_000 * n),
            trl=3 + n % 7,
            status=PublicProject.Status.PUBLISHED,
            published_at=now - timedelta(days=n),
        )
        sheet.themes.set(
            [
                Theme.objects.get_or_create(slug=slugify(name)[:50], defaults={"name": name})[0]
                for name in themes
            ]
        )
        ids[key] = sheet.pk
    return ids


@dataclass(frozen=True)
class Judged:
    query: str
    expected: tuple[str, ...]
    found: tuple[str, ...]  # the first 10 results, by key (or "?" for a sheet not judged)

    @property
    def precision_at_5(self) -> float:
        return len(set(self.found[:5]) & set(self.expected)) / 5

    @property
    def ideal_precision_at_5(self) -> float:
        return min(len(self.expected), 5) / 5

    @property
    def recall_at_10(self) -> float:
        return len(set(self.found[:10]) & set(self.expected)) / len(self.expected)

    @property
    def reciprocal_rank(self) -> float:
        for rank, key in enumerate(self.found, start=1):
            if key in self.expected:
                return 1 / rank
        return 0.0


def judge(backend: SearchBackend, ids: dict[str, int]) -> list[Judged]:
    keys = {pk: key for key, pk in ids.items()}
    judged = []
    for text, expected in QUERIES:
        hits = backend.search(CatalogueQuery(text=text, per_page=10)).hits
        found = tuple(keys.get(hit.project_id, "?") for hit in hits)
        judged.append(Judged(text, expected, found))
    return judged


def means(judged: list[Judged]) -> dict[str, float]:
    n = len(judged)
    return {
        "P@5": sum(j.precision_at_5 for j in judged) / n,
        "P@5 ideal": sum(j.ideal_precision_at_5 for j in judged) / n,
        "R@10": sum(j.recall_at_10 for j in judged) / n,
        "MRR": sum(j.reciprocal_rank for j in judged) / n,
    }
