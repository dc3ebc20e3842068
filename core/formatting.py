"""Amounts and instants as the interface writes them, in the active language."""

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def grouped_amount(value: Decimal | int, decimal_places: int = 0) -> str:
    """'500 000' in French, '500,000' in English."""
    return formats.number_format(value, decimal_places, use_l10n=True, force_grouping=True)


def euros_label(value: Decimal | int | str | None) -> str:
    """'250 000 €', '1 234,50 €': an amount grouped by thousands, cents only when there are
    some, with its unit; '—' when there is none."""
    if value in (None, ""):
        return "—"
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{grouped_amount(amount, places)}\u00a0€"


def score_label(value: Decimal | float | None) -> str:
    """A review score out of 100 with one decimal, rounded half up, as every page and PDF
    writes it: '84,6' in French (never 84,55 here and 84,6 there)."""
    if value is None:
        return "—"
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, 1, use_l10n=True)


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


def natural_key(text: str) -> tuple:
    """Sort key that reads numbers as numbers: E2 before E10, as people count criteria."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text))


def countdown(value: datetime | None, now: datetime | None = None) -> str:
    """Time left before an instant, in the largest sensible unit ("" for no instant)."""
    if not isinstance(value, datetime):
        return ""
    seconds = int((value - (now or timezone.now())).total_seconds())
    if seconds <= 0:
        return _("échéance passée")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days >= 2:
        return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    if days == 1:
        return _("1 jour et %(h)d h") % {"h": hours}
    if hours >= 1:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return ngettext("%(n)d minute", "%(n)d minutes", max(minutes, 1)) % {"n": max(minutes, 1)}
