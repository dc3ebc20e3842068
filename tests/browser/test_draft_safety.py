"""Nothing typed is lost: the draft saves itself while the applicant types, and when the
session has expired the typed text waits in the browser until they sign in again."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Application

from ..factories import build_site, make_call
from ..grants_factories import OrganisationFactory, add_member


@pytest.fixture
def draft(wagtail_root):
    index = build_site()
    now = timezone.now()
    call = make_call(index, opens_at=now - timedelta(days=1), cutoffs=[now + timedelta(days=9)])
    organisation = OrganisationFactory()
    user = add_member(organisation)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return Application.objects.create(call=call, organisation=organisation, created_by=user)


def sign_in(page, email):
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill("mot-de-passe-solide")
    page.get_by_role("button", name=re.compile("Connexion|Se connecter")).click()


def autosave(response) -> bool:
    return response.request.method == "POST" and response.request.headers.get("x-autosave") == "1"


def test_autosave_then_expired_session_keeps_the_text(draft, browser_page):
    page = browser_page
    email = draft.created_by.email
    page.goto(f"/espace/candidatures/{draft.pk}/sections/projet/")
    sign_in(page, email)
    expect(page.get_by_label("Titre du projet")).to_be_visible()

    with page.expect_response(autosave) as response:
        page.get_by_label("Titre du projet").fill("Titre tapé puis sauvé tout seul")
    assert response.value.ok
    draft.refresh_from_db()
    assert draft.project_title == "Titre tapé puis sauvé tout seul"

    # The session expires while the applicant keeps typing.
    page.context.clear_cookies()
    page.get_by_label("Résumé").fill("Texte écrit après l'expiration de la session")
    expect(page.get_by_role("alert")).to_contain_text("L'enregistrement automatique a échoué")
    draft.refresh_from_db()
    assert draft.answers["projet"].get("summary", "") == ""

    # Signing in again brings the text back, and it is saved.
    page.goto(f"/espace/candidatures/{draft.pk}/sections/projet/")
    sign_in(page, email)
    with page.expect_response(autosave) as response:
        expect(page.get_by_label("Résumé")).to_have_value(
            "Texte écrit après l'expiration de la session"
        )
    assert response.value.ok
    draft.refresh_from_db()
    assert draft.answers["projet"]["summary"] == "Texte écrit après l'expiration de la session"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_team_rows_survive_a_refused_siret(
    draft, chromium_browser, live_server, assert_accessible, javascript
):
    """Add members and a partner whose SIRET is wrong, save, correct it, save again: every
    row typed is still there, in the page and in the draft."""
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"/espace/candidatures/{draft.pk}/sections/equipe/")
    sign_in(page, draft.created_by.email)

    page.get_by_label("Nom", exact=True).first.fill("Alice Martin")
    page.get_by_role("button", name="Ajouter un membre").click()
    members = page.get_by_role("group", name=re.compile(r"^Membre \d"))
    expect(members).to_have_count(2)
    members.nth(1).get_by_label("Nom", exact=True).fill("Bruno Petit")
    partner = page.get_by_role("group", name="Partenaire 1")
    partner.get_by_label("Organisation partenaire").fill("CHU de Nantes")
    partner.get_by_label("SIRET (si française)").fill("12345")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_text("sauf les champs signalés en erreur")).to_be_visible()
    partner = page.get_by_role("group", name="Partenaire 1")
    expect(partner.get_by_label("SIRET (si française)")).to_have_value("12345")
    if javascript:  # axe runs in the page
        assert_accessible(page)
    partner.get_by_label("SIRET (si française)").fill("73282932000074")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()

    draft.refresh_from_db()
    team = draft.answers["equipe"]
    assert [m["name"] for m in team["members"]] == ["Alice Martin", "Bruno Petit"]
    assert team["partners"][0]["siret"] == "73282932000074"
    assert draft.rejected_input == {}

    # Remove Alice: the row goes, Bruno stays.
    members = page.get_by_role("group", name=re.compile(r"^Membre \d"))
    if javascript:
        members.first.get_by_role("button", name="Supprimer la ligne 1").click()
        expect(page.get_by_role("group", name="Membre 1")).to_have_count(0)
    else:
        members.first.get_by_text("Supprimer la ligne 1").click()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    draft.refresh_from_db()
    assert [m["name"] for m in draft.answers["equipe"]["members"]] == ["Bruno Petit"]
    context.close()


def test_budget_lines_added_and_removed_in_place(draft, browser_page, assert_accessible):
    page = browser_page
    page.goto(f"/espace/candidatures/{draft.pk}/sections/budget/")
    sign_in(page, draft.created_by.email)
    expect(page.get_by_text("renseignez d'abord les dépenses")).to_be_visible()
    for number in (1, 2, 3):
        if number > 2:  # two empty lines are offered at first
            page.get_by_role("button", name="Ajouter une dépense").click()
        page.get_by_label(f"Description (Dépense {number})").fill(f"Poste {number}")
        page.get_by_label(f"Montant HT (€) (Dépense {number})").fill(str(1000 * number))
    page.get_by_role("button", name="Supprimer la ligne 2").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    draft.refresh_from_db()
    lines = draft.answers["budget"]["lines"]
    assert [(line["description"], line["amount"]) for line in lines] == [
        ("Poste 1", "1000"),
        ("Poste 3", "3000"),
    ]
    expect(page.locator("[data-total]")).to_have_text("4 000,00 €")
