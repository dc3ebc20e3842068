"""The dashboards: stage times checked against an audit trail built by hand, a query count
that does not grow with the data, the public page and its open data."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import audit
from funding import statistics as stats
from funding.models import Convention, Ledger
from grants.models import Application

from ..factories import make_call
from ..grants_factories import OrganisationFactory
from .conftest import logged_in

pytestmark = pytest.mark.django_db

T0 = timezone.now() - timedelta(days=200)


def application(call, people, region="11") -> Application:
    organisation = OrganisationFactory(region=region)
    return Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=people.owner,
        project_title="Projet",
        amount_requested=Decimal("100000"),
    )


def trail(app: Application, *steps: tuple[float, str, str, str]) -> None:
    """(day after T0, transition, source, target) appended to the application's chain; the
    application ends in the last target."""
    with transaction.atomic():
        for day, name, source, target in steps:
            audit.append(
                application=app,
                transition=name,
                source=source,
                target=target,
                actor=None,
                at=T0 + timedelta(days=day),
            )
    Application.objects.filter(pk=app.pk).update(status=steps[-1][3], submitted_at=T0)


def test_median_and_90th_percentile_from_a_hand_built_trail(call, people):
    a, b, c = (application(call, people) for _ in range(3))
    trail(
        a,
        (0, "submit", "draft", "submitted"),
        (2, "start_eligibility_check", "submitted", "eligibility"),
        (3, "override_stage", "eligibility", "eligibility"),  # no change of stage
        (7, "send_to_committee", "eligibility", "committee"),
        (17, "select", "committee", "selected"),
        (18, "mark_funded", "selected", "funded"),
        (20, "convention.generate", "funded", "funded"),
        (23, "convention.send", "funded", "funded"),
        (24.5, "convention.sign", "funded", "funded"),
    )
    trail(
        b,
        (0, "submit", "draft", "submitted"),
        (4, "start_eligibility_check", "submitted", "eligibility"),
        (5, "send_to_committee", "eligibility", "committee"),
        (25, "reject", "committee", "rejected"),
    )
    trail(
        c,
        (0, "submit", "draft", "submitted"),
        (1, "start_eligibility_check", "submitted", "eligibility"),  # still there
    )
    times = {t.stage: t for t in stats.stage_times()}
    # Submitted: 2, 4 and 1 days → median 2; nearest rank ⌈0.9 × 3⌉ = 3rd → 4.
    assert (times["submitted"].count, times["submitted"].median_days) == (3, 2)
    assert times["submitted"].p90_days == 4
    # Eligibility: 5 and 1 days (c's stay is still running) → median 3, p90 5.
    assert (times["eligibility"].count, times["eligibility"].median_days) == (2, 3)
    assert times["eligibility"].p90_days == 5
    # Committee: 10 and 20 → median 15, p90 20. Selected: 1 day.
    assert (times["committee"].median_days, times["committee"].p90_days) == (15, 20)
    assert times["selected"].median_days == 1
    # The convention's stages, from its own entries: prepared 3 days, signed 1.5 days later.
    assert times["convention_preparation"].median_days == 3
    assert times["convention_signature"].median_days == 1.5
    assert "convention_countersignature" not in times

    staff = logged_in(people.staff)
    page = staff.get(reverse("funding:staff_dashboard"), {"appel": call.pk})
    assert page.status_code == 200
    assert page.context["selection"]["received"] == 3
    public = Client().get(reverse("funding:public_dashboard"))
    assert public.status_code == 200
    assert {t.stage for t in public.context["times"]} >= {"submitted", "eligibility"}
    assert "convention_preparation" not in {t.stage for t in public.context["times"]}


def build(calls_index, people, n_calls: int, per_call: int) -> None:
    for i in range(n_calls):
        call = make_call(
            calls_index,
            title=f"Appel {i}",
            opens_at=T0,
            cutoffs=[T0 + timedelta(days=30), T0 + timedelta(days=60)],
            tracks=(),
        )
        for j in range(per_call):
            app = application(call, people, region=("11", "32", "84")[j % 3])
            trail(
                app,
                (0, "submit", "draft", "submitted"),
                (1 + j, "start_eligibility_check", "submitted", "eligibility"),
                (3 + j, "send_to_committee", "eligibility", "committee"),
                (9 + j, "select", "committee", "selected"),
                (10 + j, "mark_funded", "selected", "funded"),
            )
            convention = Convention.objects.create(application=app, created_by=people.staff)
            Convention.objects.filter(pk=convention.pk).update(
                status="in_force", in_force_at=T0 + timedelta(days=20 + j)
            )
            Ledger.objects.create(
                convention=convention, grant_cents=6_000_000, advance_cents=4_000_000
            )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboards_query_count_does_not_grow_with_the_data(calls_index, people):
    staff = logged_in(people.staff)
    public = Client()
    urls = [
        (staff, reverse("funding:staff_dashboard")),
        (staff, reverse("funding:staff_dashboard_csv")),
        (public, reverse("funding:public_dashboard")),
        (public, reverse("funding:public_json")),
        (public, reverse("funding:public_csv")),
    ]
    build(calls_index, people, n_calls=1, per_call=2)
    for client, url in urls:  # warm the caches (sessions, site, locales)
        client.get(url)
    small = [queries(client, url) for client, url in urls]
    build(calls_index, people, n_calls=3, per_call=6)
    for client, url in urls:  # new conventions start a new content generation: warm again
        client.get(url)
    large = [queries(client, url) for client, url in urls]
    assert small == large


def test_public_open_data(calls_index, people):
    build(calls_index, people, n_calls=2, per_call=3)
    data = Client().get(reverse("funding:public_json")).json()
    assert data["applications_received"] == 6 and data["applications_selected"] == 6
    assert data["committed_eur"] == "600000.00"
    assert sum(r["projects"] for r in data["by_region"]) == 6
    stages = {row["stage"]: row for row in data["processing_days"]}
    assert stages["submitted"]["median"] == 2  # stays of 1, 2, 3 days in each call
    rows = list(
        csv.DictReader(io.StringIO(Client().get(reverse("funding:public_csv")).content.decode()))
    )
    by_call = [r for r in rows if r["dimension"] == "call"]
    assert {r["label"] for r in by_call} == {"Appel 0", "Appel 1"}
    assert {r["committed_eur"] for r in by_call} == {"300000.00"}
