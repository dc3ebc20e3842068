"""The demo's two-stage call from end to end in the browser: the applicant files a short
pre-proposal, the officer shortlists it with a reason, the applicant completes the full
application opened for them (pre-filled from the pre-proposal, its documents carried over)
and files it before its second-stage relève. Each page passes axe-core."""

import re

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from core.vocabulary import ApplicationStatus as S
from grants.models import Application

from ..grants_factories import OrganisationFactory, add_member, minimal_pdf
from .test_applicant_journey import save_and_continue, shot
from .test_staff_workflow import apply_action, sign_in_as

CALL = "/appels-a-projets/dispositifs-medicaux-numeriques/"
DECLARATIONS = (
    "exactitude",
    "règlement",
    "publication",
    "difficulté",
    "autre financement",
    "préjudice important",
    "n'ont pas commencé",
)


def sign_and_submit(page) -> None:
    page.get_by_role("link", name="Déposer le dossier…").click()
    expect(page.get_by_role("heading", name="Confirmer le dépôt")).to_be_visible()
    for text in DECLARATIONS:
        page.get_by_label(re.compile(text)).check(force=True)
    page.get_by_label("Votre fonction dans l'organisation").fill("Président")
    page.get_by_text(re.compile("Je confirme déposer ce dossier")).click()
    page.get_by_role("button", name="Déposer définitivement").click()
    expect(page.get_by_text("Votre dossier est déposé")).to_be_visible()


def test_pre_proposal_shortlisted_then_full_application_filed(
    wagtail_root, browser_page, live_server, assert_accessible
):
    call_command("load_demo", applicant_password="demo-password-2026", verbosity=0)
    officer = get_user_model().objects.get(username="instructeur")
    organisation = OrganisationFactory(legal_name="PatchCardio SAS")
    applicant = add_member(organisation)
    page = browser_page

    # 1. The pre-proposal: the short form, four steps.
    sign_in_as(page, applicant, live_server.url)
    page.goto(CALL)
    page.get_by_role("button", name="Déposer un dossier").click()
    expect(page.get_by_text(re.compile(r"Étape 1 sur \d"))).to_be_visible()
    page.get_by_label("Titre du projet").fill("PatchCardio")
    page.get_by_label("Résumé").fill("Un patch connecté pour l'insuffisance cardiaque.")
    page.get_by_label("Problème adressé").fill("Réhospitalisations évitables.")
    page.get_by_label("Solution proposée et innovation").fill("Alertes précoces.")
    page.get_by_label("Thématique principale").select_option(index=1)
    page.get_by_label("Maturité (TRL)").select_option("5")
    expect(page.get_by_label("Résultats attendus et mesure")).to_have_count(0)  # stage 2 only
    assert_accessible(page)
    shot(page, "50-pre-proposition")
    save_and_continue(page)
    page.locator("#id_lines-0-category").select_option("staff")
    page.locator("#id_lines-0-description").fill("Ingénieurs")
    page.locator("#id_lines-0-amount").fill("1000000")
    page.get_by_label("Montant de l'aide demandée (€)").fill("400000")
    save_and_continue(page)
    for slot, name in (("pitch_deck", "pitch.pdf"), ("kbis", "kbis.pdf")):
        page.locator(f"#file-{slot}").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": minimal_pdf(name)}]
        )
        expect(page.get_by_role("link", name=re.compile(name))).to_be_visible()
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_text("Votre dossier est complet")).to_be_visible()
    sign_and_submit(page)
    pre_proposal = Application.objects.get(organisation=organisation, stage=1)
    assert pre_proposal.status == S.SUBMITTED

    # 2. The officer takes it up and shortlists it, with the reason.
    sign_in_as(page, officer, live_server.url)
    page.goto(f"/gestion/dossiers/{pre_proposal.pk}/")
    apply_action(page, "Commencer le contrôle d'éligibilité", "Pré-proposition reçue")
    page.get_by_role("link", name=re.compile("Décider de la présélection")).click()
    row = page.locator(f"#preproposition-{pre_proposal.pk}")
    row.get_by_label(re.compile("Décision pour")).select_option("shortlisted")
    row.get_by_label(re.compile("Motif pour")).fill("Besoin clinique avéré, équipe solide.")
    assert_accessible(page)
    shot(page, "51-preselection")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text(re.compile("1 décision enregistrée"))).to_be_visible()
    decided = page.locator("tr", has_text="PatchCardio")
    expect(decided.get_by_text("Présélectionné")).to_be_visible()
    expect(decided.get_by_role("link", name="Courrier (PDF)")).to_be_visible()

    # 3. The applicant finds the full application, pre-filled, and completes it.
    full = Application.objects.get(pre_proposal=pre_proposal)
    sign_in_as(page, applicant, live_server.url)
    page.goto("/espace/")
    expect(page.get_by_text("Dossier complet (2e étape)")).to_be_visible()
    shot(page, "52-tableau-de-bord-2e-etape")
    page.goto(f"/espace/candidatures/{full.pk}/sections/projet/")
    expect(page.get_by_label("Titre du projet")).to_have_value("PatchCardio")
    page.get_by_label("Patients et aidants").check(force=True)
    page.get_by_label("Résultats attendus et mesure").fill("-20 % de réhospitalisations.")
    page.get_by_label("Durée (mois)").fill("24")
    save_and_continue(page)
    page.get_by_label("Nom du contact").fill("Alex Martin")
    page.get_by_label("Courriel", exact=True).fill("alex@patchcardio.example")
    save_and_continue(page)
    save_and_continue(page)  # the budget, carried over
    page.locator("#id_processes_health_data_0").check(force=True)
    page.get_by_label("Modèle économique").fill("Abonnement des établissements.")
    page.locator("#id_uses_ai_1").check(force=True)
    save_and_continue(page)
    page.locator("#id_hosts_health_data_1").check(force=True)
    save_and_continue(page)
    page.locator("#id_identifies_patients_0").check(force=True)
    page.locator("#id_uses_ins_0").check(force=True)
    save_and_continue(page)
    expect(page.get_by_role("link", name=re.compile("pitch.pdf"))).to_be_visible()  # carried over
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_text("Votre dossier est complet")).to_be_visible()
    assert_accessible(page)
    sign_and_submit(page)
    shot(page, "53-dossier-complet-depose")
    full.refresh_from_db()
    assert full.status == S.SUBMITTED and full.cutoff.stage == 2
