"""Amounts as the interface writes them, grouped by thousands in the active language."""

from decimal import Decimal

from django.utils import formats


def grouped_amount(value: Decimal | int, decimal_places: int = 0) -> str:
    """'500 000' in French, '500,000' in English."""
    return formats.number_format(value, decimal_places, use_l10n=True, force_grouping=True)
