"""The paid total never exceeds the grant.

A property test: random schedules (amounts, grant/advance split, number of progress reports)
give tranches that add up to the award exactly; then random sequences of payments,
reversals and repayments, recorded straight into the database (the services' own checks
bypassed), never leave the ledger above the grant: the database refuses the ones that would.
And on PostgreSQL, payments recorded at the same instant by concurrent connections cannot
exceed it either.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.amounts import split
from funding.models import Convention, Ledger, Payment, Repayment
from funding.schedule import plan
from funding.services import conventions

from .conftest import funded


@given(
    grant=st.integers(min_value=0, max_value=10**9),
    advance=st.integers(min_value=0, max_value=10**9),
    progress_reports=st.integers(min_value=0, max_value=6),
    advance_payment=st.integers(min_value=0, max_value=60),
    balance=st.integers(min_value=0, max_value=40),
    duration=st.integers(min_value=1, max_value=60),
)
def test_a_schedule_adds_up_to_the_award(
    grant, advance, progress_reports, advance_payment, balance, duration
):
    schedule = plan(
        grant_cents=grant,
        advance_cents=advance,
        start=date(2026, 1, 31),
        duration_months=duration,
        progress_reports=progress_reports,
        final_report_months=2,
        advance_payment_percent=advance_payment,
        balance_percent=balance,
        repayment_instalments=4,
        repayment_starts_months=12,
    )
    assert sum(t.grant_cents for t in schedule.tranches) == grant
    assert sum(t.advance_cents for t in schedule.tranches) == advance
    assert all(t.grant_cents >= 0 and t.advance_cents >= 0 for t in schedule.tranches)
    assert sum(i.cents for i in schedule.instalments) == advance
    assert len(schedule.milestones) == progress_reports + 1


def in_force(call, people) -> Convention:
    convention = funded(call, people)
    Convention.objects.filter(pk=convention.pk).update(status="in_force")
    convention.refresh_from_db()
    plan_ = conventions._plan(
        conventions.award_terms(convention.application, conventions.terms_of(call)),
        conventions.terms_of(call),
        date(2026, 1, 1),
    )
    conventions._create_schedule(convention, plan_)
    return convention


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 3), st.integers(1, 12_000_000)),
        st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("repay"), st.just(0), st.integers(1, 5_000_000)),
    ),
    max_size=25,
)


@pytest.fixture
def convention(call, people) -> Convention:
    return in_force(call, people)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_whatever_the_order_the_database_refuses_more_than_the_grant(
    convention, people, operations
):
    # Every example runs in a transaction rolled back at its end: each starts from an empty
    # ledger of the same convention.
    tranches = list(convention.tranches.order_by("order"))
    with transaction.atomic():
        ledger = Ledger.objects.get(convention=convention)
        granted = (ledger.grant_cents, ledger.advance_cents)
        made: list[Payment] = []
        for kind, index, cents in operations:
            try:
                with transaction.atomic():
                    if kind == "pay":
                        tranche = tranches[index % len(tranches)]
                        grant, advance = split(cents, tranche.grant_cents, tranche.advance_cents)
                        made.append(
                            Payment.objects.create(
                                convention=convention,
                                tranche=tranche,
                                grant_cents=grant,
                                advance_cents=advance,
                                paid_on=date(2026, 5, 1),
                                reference="P",
                                recorded_by=people.staff,
                            )
                        )
                    elif kind == "reverse" and made:
                        original = made[index % len(made)]
                        if original.reverses_id is None:
                            made.append(
                                Payment.objects.create(
                                    convention=convention,
                                    tranche=original.tranche,
                                    grant_cents=-original.grant_cents,
                                    advance_cents=-original.advance_cents,
                                    paid_on=original.paid_on,
                                    reference="R",
                                    reverses=original,
                                    recorded_by=people.staff,
                                )
                            )
                    elif kind == "repay":
                        Repayment.objects.create(
                            convention=convention,
                            cents=cents,
                            received_on=date(2027, 1, 1),
                            reference="RB",
                            recorded_by=people.staff,
                        )
            except IntegrityError:
                pass  # refused by the database: the ledger is unchanged
            ledger.refresh_from_db()
            rows = Payment.objects.filter(convention=convention)
            paid_grant = sum(p.grant_cents for p in rows)
            paid_advance = sum(p.advance_cents for p in rows)
            assert (ledger.paid_grant_cents, ledger.paid_advance_cents) == (
                paid_grant,
                paid_advance,
            )
            assert 0 <= paid_grant <= granted[0]
            assert 0 <= paid_advance <= granted[1]
            assert 0 <= ledger.repaid_cents <= ledger.paid_advance_cents
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_cannot_exceed_the_grant(call, people):
    convention = in_force(call, people)
    ledger = Ledger.objects.get(convention=convention)
    tranche = convention.tranches.order_by("order").first()
    # Eight payments of a third of the award each, at once: at most three fit.
    third = ledger.granted_cents // 3
    grant, advance = split(third, ledger.grant_cents, ledger.advance_cents)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def pay() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                Payment.objects.create(
                    convention=convention,
                    tranche=tranche,
                    grant_cents=grant,
                    advance_cents=advance,
                    paid_on=date(2026, 5, 1),
                    reference="CONC",
                    recorded_by=people.staff,
                )
            outcomes.append("paid")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ledger.refresh_from_db()
    assert outcomes.count("paid") == 3 and outcomes.count("refused") == 5
    assert ledger.paid_cents == 3 * third <= ledger.granted_cents
    assert sum(p.amount_cents for p in Payment.objects.filter(convention=convention)) == 3 * third
