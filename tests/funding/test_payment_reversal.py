"""Cancelling a mistaken payment from the convention's staff page: staff of the call give a
reason, the payment is cancelled by a row of the opposite amount, the page says so and the
history shows it with the reason. No reason, a second cancellation, an applicant or the staff
of another operator: refused, and nothing changes."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.urls import reverse

from core.roles import PROGRAMME_STAFF_GROUP
from funding.models import Ledger, Payment
from funding.services import money

from ..factories import OperatorFactory
from .conftest import in_group, logged_in
from .test_rules import in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(call, people):
    """A convention in force whose advance was paid (reference VIR-42), and an officer of the
    call's operator."""
    convention = in_force(call, people)
    officer = in_group(PROGRAMME_STAFF_GROUP, first_name="Sophie", last_name="Chargée")
    call.operator.staff.add(officer)
    advance = convention.tranches.get(kind="advance")
    payment = money.record_payment(
        convention,
        advance,
        people.staff,
        cents=1_000_000,
        paid_on=date(2026, 1, 15),
        reference="VIR-42",
    )
    return convention, payment, officer


def page_url(convention) -> str:
    return reverse("funding:staff_convention", args=[convention.application_id])


def text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def cancel(client, convention, payment, reason: str):
    return client.post(
        page_url(convention),
        {
            "action": "reverse_payment",
            "reverse_payment-payment": payment.pk,
            "reverse_payment-reason": reason,
        },
    )


def paid_cents(convention) -> int:
    return Ledger.objects.get(convention=convention).paid_cents


def test_staff_of_the_call_cancel_a_payment_with_a_reason(paid):
    convention, payment, officer = paid
    client = logged_in(officer)
    page = text(client.get(page_url(convention)))
    assert "Annuler un versement" in page and "15/01/2026 — 10 000 € — VIR-42" in page

    response = cancel(client, convention, payment, "Montant saisi deux fois.")
    assert response.status_code == 302
    reversal = Payment.objects.get(reverses=payment)
    assert reversal.amount_cents == -1_000_000 and reversal.recorded_by == officer
    assert paid_cents(convention) == 0

    page = text(client.get(page_url(convention)))
    assert "Versement annulé : une écriture du montant opposé est enregistrée." in page
    assert "Versement annulé — Sophie Chargée — VIR-42 — Montant saisi deux fois." in page
    assert "— annulé" in page and "— annulation" in page
    assert "Annuler un versement" not in page  # nothing left to cancel


def test_a_cancellation_without_reason_is_refused_and_changes_nothing(paid):
    convention, payment, officer = paid
    response = cancel(logged_in(officer), convention, payment, "   ")
    assert response.status_code == 200
    assert "Motivez l'annulation du versement." in text(response)
    assert not Payment.objects.filter(reverses=payment).exists()
    assert paid_cents(convention) == 1_000_000


def test_a_second_cancellation_is_refused_with_its_reason(paid):
    convention, payment, officer = paid
    client = logged_in(officer)
    assert cancel(client, convention, payment, "Erreur de montant.").status_code == 302
    # The same form sent again from a page opened before the first cancellation.
    response = cancel(client, convention, payment, "Erreur de montant.")
    assert response.status_code == 200
    assert "Ce versement est déjà annulé : rien n'a été changé." in text(response)
    assert Payment.objects.filter(convention=convention).count() == 2
    assert paid_cents(convention) == 0
    # Nor can the cancellation itself be cancelled.
    reversal = Payment.objects.get(reverses=payment)
    response = cancel(client, convention, reversal, "Oups.")
    assert "Une annulation ne s'annule pas" in text(response)
    assert Payment.objects.filter(convention=convention).count() == 2


def test_an_applicant_or_another_operators_staff_cannot_cancel(paid, people):
    convention, payment, _officer = paid
    elsewhere = in_group(PROGRAMME_STAFF_GROUP, first_name="Oscar")
    OperatorFactory(name="Opérateur d'ailleurs").staff.add(elsewhere)

    assert cancel(logged_in(people.owner), convention, payment, "Pas à moi.").status_code == 403
    assert cancel(logged_in(elsewhere), convention, payment, "Pas à moi.").status_code == 404
    assert not Payment.objects.filter(reverses=payment).exists()
    assert paid_cents(convention) == 1_000_000
