"""Programme staff carry a submitted application to the committee in the back office, then a
committee member declares no conflict, reads the file and its reviews, and decides. Each
back-office page passes axe-core."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus
from evaluation.conditions import latest_committee_decision
from evaluation.models import CommitteeSession
from evaluation.services import fire, submit_application
from grants.models import Application

from ..ethics.test_staff_reviews import ethics_call, in_ethics_review, two_reviews
from ..factories import build_site, make_call
from ..grants_factories import UserFactory, complete_application
from .test_applicant_journey import shot


@pytest.fixture
def scene(wagtail_root):
    now = timezone.now()
    call = make_call(
        build_site(),
        title="Sécurité des données de santé",
        opens_at=now - timedelta(days=3),
        cutoffs=[now + timedelta(days=30)],
        tracks=("security",),
    )
    application = complete_application(call)
    submit_application(application, application.created_by)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    session = CommitteeSession.objects.create(
        call=call, title="Comité de décembre", held_on=date.today()
    )
    session.members.add(member)
    return application, staff, member, session


def sign_in_as(page, user, live_server_url):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server_url}]
    )


def apply_action(page, label, comment):
    page.get_by_label(label).check(force=True)
    page.get_by_label("Commentaire").fill(comment)
    page.get_by_role("button", name="Appliquer").click()


def test_staff_carry_an_application_to_the_committee_which_selects_it(
    scene, browser_page, live_server, assert_accessible
):
    application, staff, member, session = scene
    page = browser_page
    sign_in_as(page, staff, live_server.url)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/gestion/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The queue fits a 1280 px screen: the table does not scroll sideways.
    container = page.locator(".fr-table__container").first
    assert container.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(application.reference)).first.click()
    expect(page.get_by_text("TeleCardio").first).to_be_visible()
    # The page is in tabs: the history is one click away.
    page.get_by_role("tab", name="Historique").click()
    expect(page.get_by_role("table", name=re.compile("Historique complet"))).to_be_visible()
    assert_accessible(page)

    apply_action(page, "Commencer le contrôle d'éligibilité", "Dossier pris en charge")
    apply_action(
        page, "Envoyer en expertise sécurité", "Éligible : SIRET, plafond et pièces conformes"
    )
    expect(page.get_by_text("Déroger à l'expertise en cours")).to_be_visible()
    page.get_by_label("Justification de la dérogation").fill("Avis de l'ANSSI reçu par courrier")
    page.get_by_role("button", name="Enregistrer la dérogation").click()
    apply_action(page, "Présenter au comité", "Expertise sécurité favorable")
    shot(page, "10-back-office-dossier")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMMITTEE

    sign_in_as(page, member, live_server.url)
    page.goto(f"/gestion/comite/seances/{session.pk}/")
    assert_accessible(page)
    # The member declares no conflict of interest, which opens the file, then decides.
    page.get_by_role("link", name=re.compile("Déclarer mes liens et lire le dossier")).click()
    assert_accessible(page)
    page.get_by_label("Non, je n'ai aucun lien").check(force=True)
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_role("heading", name="Le dossier, figé au dépôt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Retour à la séance pour décider").click()
    form = page.locator("form").filter(
        has=page.get_by_role("button", name=re.compile("Enregistrer la décision"))
    )
    form.get_by_role("radio", name="Retenu", exact=True).check(force=True)
    form.get_by_label("Motivation").fill("Projet mûr, impact fort pour les patients.")
    form.get_by_label("Montant accordé (€)").fill("200000")
    form.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.get_by_text("Projet mûr, impact fort pour les patients.").first).to_be_visible()
    shot(page, "11-comite")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert (
        latest_committee_decision(Application.objects.get(pk=application.pk)).amount_granted
        == 200000
    )


def test_a_committee_member_reads_the_reviews_before_deciding(
    wagtail_root, browser_page, live_server, assert_accessible
):
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    call = ethics_call(build_site(), tracks=("ethics",))
    application = in_ethics_review(call, staff)
    two_reviews(application, staff)
    fire(application, "send_to_committee", staff, comment="Expertise éthique faite")
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    session = CommitteeSession.objects.create(call=call, title="Comité", held_on=date.today())
    session.members.add(member)

    page = browser_page
    sign_in_as(page, member, live_server.url)
    page.goto(f"/gestion/comite/seances/{session.pk}/dossiers/{application.pk}/")
    page.get_by_label("Non, je n'ai aucun lien").check(force=True)
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_role("heading", name=re.compile("Alice Martin"))).to_be_visible()
    expect(page.get_by_text("Synthèse : avis favourable")).to_be_visible()
    assert_accessible(page)
    shot(page, "12-comite-lecture-dossier")
    page.get_by_role("link", name="Retour à la séance pour décider").click()
    form = page.locator("form").filter(
        has=page.get_by_role("button", name=re.compile("Enregistrer la décision"))
    )
    form.get_by_role("radio", name="Non retenu", exact=True).check(force=True)
    form.get_by_label("Motivation").fill("Bénéfice insuffisamment démontré.")
    form.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.get_by_text("Bénéfice insuffisamment démontré.").first).to_be_visible()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.REJECTED
