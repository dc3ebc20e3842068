"""How amounts, instants and countdowns read on public pages, in French and English."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cms.templatetags.ruche_tags import countdown, euros, paris_instant

from ..factories import paris


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (45_000_000, "45\u00a0M€"),
        (1_500_000, "1,5\u00a0M€"),
        (800_000, "800\u00a0k€"),
        (12_500, "12,5\u00a0k€"),
        (Decimal("12345.67"), "12\u00a0346\u00a0€"),
    ],
)
def test_amounts_in_french(amount, expected):
    with translation.override("fr"):
        assert euros(amount) == expected


def test_paris_instant_reads_as_in_the_call_text():
    with translation.override("fr"):
        assert paris_instant(paris(2026, 3, 12, 12)) == "12 mars 2026 à 12h00"
    with translation.override("en"):
        assert paris_instant(paris(2026, 3, 12, 12)) == "12 March 2026 at 12:00"


def test_countdown_picks_the_largest_useful_unit():
    now = timezone.now()
    with translation.override("fr"):
        assert countdown(now + timedelta(days=12, hours=3), now) == "12 jours"
        assert countdown(now + timedelta(days=1, hours=5), now) == "1 jour et 5 h"
        assert countdown(now + timedelta(hours=3, minutes=7), now) == "3 h 07 min"
        assert countdown(now + timedelta(seconds=20), now) == "1 minute"
        assert countdown(now - timedelta(seconds=1), now) == "échéance passée"
