"""How amounts, instants and countdowns read on public pages, in French and English."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cms.templatetags.ruche_tags import countdown, euros, paris_instant
from core.formatting import euros_label, natural_key, score_label
from grants.services.presentation import answers_for_display

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


def test_exact_amounts_scores_and_codes_read_the_same_everywhere():
    with translation.override("fr"):
        assert euros_label(250_000) == "250\u00a0000\u00a0€"
        assert euros_label("1234.50") == "1\u00a0234,50\u00a0€"
        assert euros_label(None) == "—"
        # One rounding for every score: half up, one decimal.
        assert score_label(Decimal("84.55")) == "84,6"
        assert score_label(Decimal("84.549")) == "84,5"
    with translation.override("en"):
        assert euros_label(250_000) == "250,000\u00a0€"
        assert score_label(Decimal("84.55")) == "84.6"
    assert sorted(["E10", "E2", "S1", "E1"], key=natural_key) == ["E1", "E2", "E10", "S1"]


def test_a_partner_reads_in_words_and_an_amount_with_its_unit():
    recap = answers_for_display(
        {
            "equipe": {
                "partners": [{"name": "CHU de Nantes", "is_health_establishment": True}],
            },
            "budget": {
                "lines": [{"category": "staff", "description": "Équipe", "amount": "80000"}],
                "amount_requested": "40000",
            },
        }
    )
    rows = {label: value for section in recap for label, value in section["rows"]}
    assert rows["Partenaires"] == "CHU de Nantes · Établissement de santé"
    assert rows["Dépenses"] == "Personnel · Équipe · 80\u00a0000\u00a0€"
    assert rows["Aide demandée"] == "40\u00a0000\u00a0€"
