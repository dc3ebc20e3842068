"""Amounts and instants as the interface writes them, in the active language."""

from datetime import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def grouped_amount(value: Decimal | int, decimal_places: int = 0) -> str:
    """'500 000' in French, '500,000' in English."""
    return formats.number_format(value, decimal_places, use_l10n=True, force_grouping=True)


def paris_instant(value: datetime | None) -> str:
    """'15 janvier 2027 à 12h00' in French, '15 January 2027 at 12:00' in English: the
    instant in Paris time, as every page, email and refusal writes a deadline."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(date)s à %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.date_format(local, _("H\\hi")),
    }
