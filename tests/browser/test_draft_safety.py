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
