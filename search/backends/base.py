"""The contract every catalogue backend fulfils: same filters, facets, highlighting markers
and ordering rules, whatever the engine."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

# Highlighted fragments wrap matches in these markers; templates turn them into <mark>.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"

FACETS = ("theme", "region", "call", "year", "trl", "amount_band")
SORTS = ("relevance", "newest", "amount")
# Amount bands for the facet, in euros: [low, high).
AMOUNT_BANDS = (
    ("lt-250k", Decimal(0), Decimal(250_000)),
    ("250k-500k", Decimal(250_000), Decimal(500_000)),
    ("500k-1m", Decimal(500_000), Decimal(1_000_000)),
    ("1m-plus", Decimal(1_000_000), None),
)
# The one ordering rule, every backend: each sort's keys, then the tie-break shared by all
# (newest publication first, then the highest id), so equal keys never depend on the engine.
# « relevance » without text is « newest ».
ORDERING = {
    "relevance": ("score desc", "published_at desc", "id desc"),
    "newest": ("published_at desc", "id desc"),
    "amount": ("amount desc", "published_at desc", "id desc"),
}

Progress = Callable[[int, int], None]


def amount_band(amount: Decimal | float) -> str:
    """The key of the band holding ``amount``."""
    for key, low, high in AMOUNT_BANDS:
        if amount >= low and (high is None or amount < high):
            return key
    return AMOUNT_BANDS[0][0]


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    # facet name -> selected values (OR within a facet, AND across facets)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"  # relevance (newest when no text), newest, amount
    page: int = 1
    per_page: int = 20

    @property
    def ordering(self) -> str:
        """The sort actually applied: relevance needs text."""
        if self.sort not in ORDERING or (self.sort == "relevance" and not self.text.strip()):
            return "newest"
        return self.sort


@dataclass(frozen=True)
class Hit:
    project_id: int
    score: float
    # field name -> fragment with HIGHLIGHT_START/END around matches (title, summary)
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FacetValue:
    value: str  # theme slug, region code, call id, year, TRL, amount band key
    count: int


@dataclass(frozen=True)
class CatalogueResults:
    total: int
    hits: list[Hit]
    # facet name -> values with counts, computed with every OTHER facet's filter applied;
    # ordered by count desc then value, except amount_band: every band, in scale order.
    facets: dict[str, list[FacetValue]]


class SearchBackend(ABC):
    """Indexes published PublicProject sheets and searches them."""

    @abstractmethod
    def index(self, project_ids: list[int]) -> None:
        """(Re-)index these sheets; those no longer published leave the index."""

    @abstractmethod
    def remove(self, project_ids: list[int]) -> None:
        """Take these sheets out of the index (absent ones are ignored)."""

    @abstractmethod
    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-index every published sheet, losing no update made meanwhile; returns how many.
        ``progress(done, total)`` is called as the sheets are read."""

    @abstractmethod
    def search(self, query: CatalogueQuery) -> CatalogueResults:
        """One page of results in ORDERING, with the facet counts."""

    @abstractmethod
    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Project titles for the search box, as the visitor types."""

    def outdated_fields(self) -> list[str]:
        """Fields the index holds in another shape than this release writes: a rebuild is due
        (the database's index follows its migrations)."""
        return []


def sorted_facet(values: dict[str, int]) -> list[FacetValue]:
    """A facet's non-empty values as the contract orders them: count desc, then value."""
    return [
        FacetValue(value, count)
        for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0]))
        if count and value
    ]


def band_facet(counts: dict[str, int]) -> list[FacetValue]:
    """Every amount band in scale order, empty ones included: the bands are a fixed scale."""
    return [FacetValue(key, counts.get(key, 0)) for key, _low, _high in AMOUNT_BANDS]


def no_facets() -> dict[str, list[FacetValue]]:
    """Facets of no result: nothing counted, every amount band shown empty."""
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    facets["amount_band"] = band_facet({})
    return facets
