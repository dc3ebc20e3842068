import pytest

from funding.models import ConventionStatus, Ledger

from .conftest import funded

pytestmark = pytest.mark.django_db


def test_funding_an_application_prepares_its_convention(call, people):
    convention = funded(call, people)
    assert convention.status == ConventionStatus.DRAFT
    version = convention.latest_version()
    assert version.pdf.read().startswith(b"%PDF")
    assert "Cardio Domicile SAS" in version.html
    ledger = Ledger.objects.get(convention=convention)
    assert (ledger.grant_cents, ledger.advance_cents) == (12_000_000, 8_000_000)
