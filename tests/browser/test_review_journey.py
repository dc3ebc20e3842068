"""An expert declares no conflict, scores the grid and submits; staff see the aggregate."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from ethics.models import CallGrid, Criterion, ReviewerProfile, ReviewGrid
from ethics.services import assign
from evaluation.services import fire, submit_application

from ..factories import build_site, make_call
from ..grants_factories import UserFactory, complete_application
from .test_applicant_journey import shot
from .test_staff_workflow import sign_in_as


@pytest.fixture
def scene(wagtail_root):
    now = timezone.now()
    call = make_call(
        build_site(),
        opens_at=now - timedelta(days=3),
        cutoffs=[now + timedelta(days=30)],
        tracks=("ethics",),
    )
    grid = ReviewGrid.objects.create(name="Grille éthique", track="ethics")
    benefit = Criterion.objects.create(grid=grid, code="E1", label="Bénéfice clair", weight=3)
    data = Criterion.objects.create(
        grid=grid,
        code="E3",
        label="Pas d'usage commercial des données",
        weight=3,
        scale="compliance",
        blocking=True,
    )
    CallGrid.objects.create(call=call, grid=grid)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    draft = complete_application(call)
    application = submit_application(draft, draft.created_by)
    application = fire(application, "start_eligibility_check", staff)
    application = fire(application, "start_ethics_review", staff, comment="Éligible")
    expert = UserFactory()
    expert.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=expert, tracks=["ethics"])
    assign(application, "ethics", expert, staff)
    return application, staff, expert, benefit, data


def test_expert_scores_and_staff_see_the_aggregate(
    scene, browser_page, live_server, assert_accessible
):
    application, staff, expert, benefit, data = scene
    page = browser_page
    sign_in_as(page, expert, live_server.url)

    page.goto("/expertise/")
    page.get_by_role("link", name=re.compile("TeleCardio|déclar", re.I)).first.click()
    expect(page.get_by_text("TeleCardio").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio").first.check(force=True)  # no conflict of interest
    page.get_by_role("button", name="Enregistrer ma déclaration").click()

    expect(page.get_by_role("heading", name=re.compile("E1"))).to_be_visible()
    assert_accessible(page)
    page.locator(f"#critere-{benefit.pk}").get_by_role("radio").nth(4).check(force=True)  # 4/5
    page.locator(f"#critere-{data.pk}").get_by_role("radio").first.check(force=True)  # compliant
    page.get_by_role("radio", name="Avis favorable", exact=True).check(force=True)
    page.get_by_label("Synthèse de votre avis").fill("Projet utile, données protégées.")
    page.get_by_role("button", name="Rendre mon avis").click()
    expect(page.get_by_text("Projet utile, données protégées.").first).to_be_visible()
    shot(page, "20-avis-expert")

    sign_in_as(page, staff, live_server.url)
    page.goto(f"/gestion/dossiers/{application.pk}/")
    page.get_by_role("tab", name="Expertises et décision").click()
    table = page.get_by_role("table", name=re.compile("Notes et avancement des expertises"))
    # (3 × 4/5 + 3 × 1) / 6 × 100 = 90
    expect(table).to_contain_text("90")
    expect(table).to_contain_text("1 invités / 1 rendus")
    shot(page, "21-notes-expertises")
