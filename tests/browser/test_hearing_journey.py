"""A hearing from end to end in the browser: staff book a slot for a shortlisted application,
the applicant confirms from their dashboard, the jury member finds it on their page. Each
page passes axe-core."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import JURY_GROUP, PROGRAMME_WIDE_GROUP
from ethics.models import CallGrid, Criterion, ReviewGrid
from evaluation import hearings
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
        tracks=("hearing",),
    )
    grid = ReviewGrid.objects.create(name="Grille d'audition", track="hearing")
    Criterion.objects.create(grid=grid, code="A1", label="Équipe", weight=1)
    CallGrid.objects.create(call=call, grid=grid)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    juror = UserFactory(email="jure@ministere.example")
    juror.groups.add(Group.objects.get(name=JURY_GROUP))
    draft = complete_application(call)
    application = submit_application(draft, draft.created_by)
    application = fire(application, "start_eligibility_check", staff)
    application = fire(application, "start_hearing", staff, comment="Présélectionné")
    session = hearings.create_session(
        call,
        staff,
        jury=[juror],
        title="Auditions de mars",
        held_on=date.today() + timedelta(days=10),
        place="Salle du jury",
        video_link="",
    )
    hearings.add_slots(session, staff, first_start=now + timedelta(days=10), duration=45, count=3)
    return application, staff, juror, session


def test_staff_invite_the_applicant_confirms_the_jury_sees_it(
    scene, browser_page, live_server, assert_accessible
):
    application, staff, juror, session = scene
    page = browser_page
    sign_in_as(page, staff, live_server.url)
    page.goto(f"/gestion/auditions/seances/{session.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Convoquer et prévenir le candidat").click()
    expect(page.get_by_text("En attente de confirmation").first).to_be_visible()
    shot(page, "40-auditions-seance")

    sign_in_as(page, application.created_by, live_server.url)
    page.goto("/espace/")
    expect(page.get_by_text(re.compile("Convocation à l'audition du"))).to_be_visible()
    page.goto(f"/espace/candidatures/{application.pk}/")
    page.get_by_role("link", name="Confirmer ou demander un autre créneau").click()
    assert_accessible(page)
    page.get_by_role("button", name="Je confirme ma présence à ce créneau").click()
    expect(page.locator("#hearing-answer")).to_have_text("Confirmée")
    shot(page, "41-audition-confirmee")

    sign_in_as(page, juror, live_server.url)
    page.goto("/gestion/auditions/jury/")
    expect(page.get_by_text("Confirmée")).to_be_visible()
    expect(page.get_by_role("link", name="Déclarer mes liens d'intérêts")).to_be_visible()
    assert_accessible(page)
