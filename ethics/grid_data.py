"""A shipped grid as plain data: what ``reference_grids`` loads into ``ReviewGrid`` rows."""

from __future__ import annotations

from dataclasses import dataclass

from .aggregation import SCORE_0_5


@dataclass(frozen=True)
class CriterionData:
    code: str
    label: str
    guidance: str
    evidence: str
    evidence_keys: tuple[str, ...]
    weight: int
    scale: str = SCORE_0_5
    allows_not_applicable: bool = False
    blocking: bool = False


@dataclass(frozen=True)
class GridData:
    name: str
    track: str
    description: str
    criteria: tuple[CriterionData, ...]
