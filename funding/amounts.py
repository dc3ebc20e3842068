"""Amounts in whole cents. The ledger's totals are summed by the database (triggers), where a
decimal column is a binary float on SQLite: in cents the sums are exact on every engine."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.formatting import euros_label


def to_cents(amount: Decimal | int | str) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def euros(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


def cents_label(cents: int | None) -> str:
    """'250 000 €', '1 234,50 €' in the active language."""
    return euros_label(euros(cents))


def share(total: int, percent: int) -> int:
    """``percent`` % of ``total`` cents, rounded half up to the cent."""
    return int((Decimal(total) * percent / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def split(amount: int, grant: int, advance: int) -> tuple[int, int]:
    """``amount`` cents divided between the grant and the advance in the ratio
    ``grant``:``advance``, the grant part rounded half up; all to the grant when both are 0."""
    if advance <= 0 or amount == 0:
        return amount, 0
    if grant <= 0:
        return 0, amount
    grant_part = int(
        (Decimal(amount) * grant / (grant + advance)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    )
    return grant_part, amount - grant_part
