"""A start-up's whole journey in chromium: sign up, verify the email, declare the
organisation, fill every section, attach files, submit before the deadline, get the receipt.
Screenshots of each step go to test-results/journey/."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from cms.demo import load_demo

from ..grants_factories import OrganisationFactory, minimal_pdf

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "journey"


@pytest.fixture
def demo_site(wagtail_root):
    load_demo()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()


def test_start_up_applies_from_sign_up_to_receipt(
    demo_site, browser_page, assert_accessible, tmp_path
):
    page = browser_page
    siren_source = OrganisationFactory.build()  # valid SIREN/SIRET pair, not saved

    # 1. Sign up and verify the email address.
    page.goto("/compte/signup/")
    page.locator("#id_email").fill("fondatrice@telecardio.example")
    page.locator("#id_password1").fill("Un-mot-de-passe-solide-2026")
    page.locator("#id_password2").fill("Un-mot-de-passe-solide-2026")
    page.get_by_role("button", name=re.compile("Création de compte|Inscription|Créer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("adresse", re.I))
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirmer").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))
    shot(page, "01-espace")

    # 2. Declare the organisation.
    page.get_by_role("link", name="Déclarer mon organisation").click()
    page.get_by_label("Raison sociale").fill("TeleCardio SAS")
    page.locator("#id_siren").fill(siren_source.siren)
    page.locator("#id_siret").fill(siren_source.siret)
    page.locator("#id_legal_form").select_option("sas")
    page.locator("#id_size").select_option("startup")
    page.locator("#id_creation_date").fill("2021-03-15")
    page.locator("#id_region").select_option("11")
    page.locator("#id_address").fill("12 rue de la Santé")
    page.locator("#id_postcode").fill("75013")
    page.locator("#id_city").fill("Paris")
    page.get_by_role("button", name="Inscrire l'organisation").click()
    expect(page.get_by_text("TeleCardio SAS").first).to_be_visible()

    # 3. Start an application on an open call.
    page.goto("/appels-a-projets/tiers-lieux-experimentation/")
    page.get_by_role("button", name="Déposer un dossier").click()
    expect(page.get_by_text("Étape 1 sur 8")).to_be_visible()
    page.get_by_label("Titre du projet").fill("TeleCardio")
    page.get_by_label("Résumé").fill("Télésurveillance des insuffisants cardiaques à domicile.")
    page.get_by_label("Problème adressé").fill("Réhospitalisations évitables.")
    page.get_by_label("Solution proposée et innovation").fill("Alertes précoces.")
    page.get_by_label("Patients et aidants").check(force=True)
    page.get_by_label("Thématique principale").select_option(index=1)
    page.get_by_label("Maturité (TRL)").select_option("6")
    page.get_by_label("Résultats attendus et mesure").fill("-20 % de réhospitalisations.")
    page.get_by_label("Durée (mois)").fill("24")
    assert_accessible(page)
    shot(page, "02-projet")
    save_and_continue(page)

    page.get_by_label("Nom du contact").fill("Camille Martin")
    page.get_by_label("Courriel", exact=True).fill("camille@telecardio.example")
    save_and_continue(page)

    page.locator("#id_lines-0-category").select_option("staff")
    page.locator("#id_lines-0-description").fill("Ingénieurs")
    page.locator("#id_lines-0-amount").fill("600000")
    page.get_by_label("Montant de l'aide demandée (€)").fill("250000")
    save_and_continue(page)

    page.locator("#id_processes_health_data_0").check(force=True)
    page.get_by_label("Modèle économique").fill("Abonnement des établissements.")
    page.locator("#id_uses_ai_1").check(force=True)
    save_and_continue(page)
    page.locator("#id_hosts_health_data_1").check(force=True)
    save_and_continue(page)
    page.locator("#id_identifies_patients_0").check(force=True)
    page.locator("#id_uses_ins_0").check(force=True)
    save_and_continue(page)

    # 4. Attachments go up when chosen.
    for slot, name in (("pitch_deck", "pitch.pdf"), ("kbis", "kbis.pdf")):
        file = tmp_path / name
        file.write_bytes(minimal_pdf(name))
        page.locator(f"#file-{slot}").set_input_files(file)
        expect(page.get_by_role("link", name=re.compile(name))).to_be_visible()
    shot(page, "03-pieces")
    page.get_by_role("link", name="Continuer").click()

    # 5. Every section is marked complete; a last page says what will be sent, then submit.
    expect(page.get_by_text("Votre dossier est complet")).to_be_visible()
    expect(page.get_by_text(re.compile(r"7 sections complètes sur 7"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Déposer le dossier…").click()
    expect(page.get_by_role("heading", name="Confirmer le dépôt")).to_be_visible()
    expect(page.get_by_text("pitch.pdf")).to_be_visible()
    expect(page.get_by_text(re.compile("J'atteste l'exactitude"))).to_be_visible()
    assert_accessible(page)
    shot(page, "04-confirmation")
    page.get_by_role("button", name="Déposer définitivement").click()
    expect(page.get_by_text("Cochez la case pour confirmer le dépôt")).to_be_visible()
    # The declarations on honour are signed here, with the signatory's role.
    for text in (
        "exactitude",
        "règlement",
        "publication",
        "difficulté",
        "autre financement",
        "préjudice important",
        "n'ont pas commencé",
    ):
        page.get_by_label(re.compile(text)).check(force=True)
    page.get_by_label("Votre fonction dans l'organisation").fill("Présidente")
    page.get_by_text(re.compile("Je confirme déposer ce dossier")).click()
    page.get_by_role("button", name="Déposer définitivement").click()
    expect(page.get_by_text("Votre dossier est déposé")).to_be_visible()
    shot(page, "05-depose")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Récépissé de dépôt")).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert any("Récépissé de dépôt" in m.subject for m in mail.outbox)

    page.goto("/espace/")
    expect(page.get_by_role("cell", name=re.compile("TeleCardio"))).to_be_visible()
    expect(page.get_by_text("Déposé").first).to_be_visible()
    shot(page, "06-tableau-de-bord")
