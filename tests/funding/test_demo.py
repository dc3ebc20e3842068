"""The demo's follow-up: conventions, payments and reports at every stage, each persona with
something to do; loading it again changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from funding.models import Convention, Payment, ReportStatus
from search.models import PublicProject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_backend(settings):
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"


def test_demo_has_conventions_payments_and_reports_at_every_stage():
    call_command("load_demo", applicant_password="demo-2026", verbosity=0)
    statuses = sorted(Convention.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["draft", "sent", "signed", "in_force", "in_force", "in_force", "closed", "terminated"]
    )
    assert Payment.objects.count() == 1 + 1 + 2 + 3  # advance; advance; two; all three
    reports = Convention.objects.filter(milestones__report_status=ReportStatus.SUBMITTED)
    assert reports.count() == 1
    counts = (Convention.objects.count(), Payment.objects.count())
    call_command("load_demo", applicant_password="demo-2026", verbosity=0)
    assert (Convention.objects.count(), Payment.objects.count()) == counts

    # The demo applicant has a convention to sign and a report to write.
    candidate = Client()
    assert candidate.login(username="candidat", password="demo-2026")
    to_sign = Convention.objects.get(application__project_title="TéléRééduc")
    page = candidate.get(reverse("funding:convention", args=[to_sign.application_id]))
    assert page.status_code == 200 and page.context["sign_form"] is not None
    # The completed project's sheet says so.
    sheet = PublicProject.objects.get(application__project_title="NéphroLink")
    page = Client().get(reverse("search:project", args=[sheet.slug]))
    assert "Projet terminé" in page.content.decode()
