"""The staff dashboard, the public figures, and a convention's pages (the beneficiary signing
in Ruche, a report to write, staff's follow-up page) in chromium: each passes axe-core; with
RUCHE_SCREENSHOTS=1 their screenshots are saved under docs/screenshots/funding/."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from funding.models import Signature
from funding.services import conventions, reports, signatures

from ..factories import OperatorFactory, build_site, make_call
from ..funding.conftest import funded, make_terms
from ..funding.test_dashboards import build
from ..grants_factories import OrganisationFactory, UserFactory, add_member
from .test_staff_workflow import sign_in_as

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "funding"


def shot(page, name: str) -> None:
    # Only when asked (RUCHE_SCREENSHOTS=1): the committed images stay as reviewed.
    if os.environ.get("RUCHE_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def scene(wagtail_root):
    staff = UserFactory(first_name="Sophie", last_name="Instructrice")
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    people = SimpleNamespace(staff=staff, owner=UserFactory())
    build(build_site(), people, n_calls=3, per_call=4)
    return people


def test_dashboards_are_accessible(scene, browser_page, live_server, assert_accessible):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/chiffres/")
    expect(page.get_by_role("heading", level=1, name="Les chiffres du programme")).to_be_visible()
    expect(
        page.get_by_role("table", name="Délais de traitement par étape, en jours")
    ).to_be_visible()
    assert_accessible(page)
    shot(page, "public-dashboard")

    sign_in_as(page, scene.staff, live_server.url)
    page.goto("/gestion/suivi/tableau-de-bord/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(page.locator("#stage-times")).to_be_visible()
    assert_accessible(page)
    shot(page, "staff-dashboard")


@pytest.fixture
def convention_scene(wagtail_root):
    now = timezone.now()
    call = make_call(
        build_site(),
        title="Télésurveillance 2026",
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=(),
        operator=OperatorFactory(name="Bpifrance"),
    )
    make_terms(call, grant_percent=60)
    organisation = OrganisationFactory(legal_name="Cardio Domicile SAS")
    owner = UserFactory(first_name="Camille", last_name="Martin")
    add_member(organisation, owner, role="owner")
    staff = UserFactory(first_name="Sophie", last_name="Instructrice")
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    people = SimpleNamespace(organisation=organisation, owner=owner, staff=staff, member=member)
    convention = funded(call, people)
    conventions.send(convention, staff)
    return convention, people


def test_convention_pages_are_accessible(
    convention_scene, browser_page, live_server, assert_accessible
):
    convention, people = convention_scene
    application = convention.application
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    # The beneficiary reads the convention and signs it in Ruche with their password.
    sign_in_as(page, people.owner, live_server.url)
    page.goto(f"/espace/conventions/{application.pk}/")
    expect(page.get_by_role("heading", name="Signer le document")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom et prénom du signataire").fill("Camille Martin")
    page.get_by_label("Qualité du signataire").fill("Présidente")
    page.get_by_label(re.compile("Votre mot de passe")).fill("mot-de-passe-solide")
    page.get_by_label(re.compile("J'ai lu le document")).check(force=True)
    page.get_by_role("button", name="Signer", exact=True).click()
    expect(page.get_by_text("Document signé.")).to_be_visible()
    shot(page, "beneficiary-convention")

    signatures.sign_online(
        convention,
        Signature.Party.OPERATOR,
        people.staff,
        name="Sophie Instructrice",
        role="Chargée de mission",
        seen_sha256=convention.latest_version().sha256,
        confirmed_with="password",
    )
    conventions.bring_into_force(convention, people.staff)
    progress = convention.milestones.get(kind="progress")
    page.goto(f"/espace/conventions/{application.pk}/rapports/{progress.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'étape")
    assert_accessible(page)
    reports.save_report(progress, people.owner, narrative="120 patients suivis.", values={})
    reports.submit_report(progress, people.owner)

    sign_in_as(page, people.staff, live_server.url)
    page.goto(f"/gestion/suivi/dossiers/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Convention et suivi")
    assert_accessible(page)
    shot(page, "staff-convention")
