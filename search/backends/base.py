"""The contract every catalogue backend fulfils: same filters, facets, highlighting markers
and ordering rules, whatever the engine."""

from __future__ import annotations

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


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    # facet name -> selected values (OR within a facet, AND across facets)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"  # relevance (newest when no text), newest, amount
    page: int = 1
    per_page: int = 20


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
    # facet name -> values with counts, computed with every OTHER facet's filter applied
    facets: dict[str, list[FacetValue]]


class SearchBackend:
    """Indexes published PublicProject sheets and searches them."""

    def index(self, project_ids: list[int]) -> None:
        raise NotImplementedError

    def remove(self, project_ids: list[int]) -> None:
        raise NotImplementedError

    def rebuild(self) -> int:
        """Re-index every published sheet; returns how many."""
        raise NotImplementedError

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        raise NotImplementedError

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Project titles for the search box, as the visitor types."""
        raise NotImplementedError
