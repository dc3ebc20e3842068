"""A programme officer held to two-factor authentication (RUCHE_REQUIRE_MFA) sets up an
authenticator app in chromium, then signs in with its code and reaches the queues. Each page
passes axe-core and the site's Content-Security-Policy."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import expect

from core.roles import PROGRAMME_WIDE_GROUP

from ..factories import build_site
from ..grants_factories import UserFactory
from .test_applicant_journey import shot

PASSWORD = "mot-de-passe-solide"


@pytest.fixture
def officer(wagtail_root, settings):
    settings.RUCHE_REQUIRE_MFA = True
    build_site()
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    cache.clear()
    yield user
    cache.clear()


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(iter(counters()))))


def sign_in(page, user) -> None:
    page.goto("/compte/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter", exact=True).click()


def test_officer_sets_up_an_app_then_signs_in_with_its_code(
    officer, browser_page, assert_accessible
):
    page = browser_page
    sign_in(page, officer)
    expect(page).to_have_url(re.compile(r"/compte/2fa/$"))
    expect(page.get_by_text("activez la double authentification")).to_be_visible()
    assert_accessible(page)
    shot(page, "mfa-required")

    page.goto("/gestion/")  # every page leads back here until a second factor is set up
    expect(page).to_have_url(re.compile(r"/compte/2fa/$"))
    page.get_by_role("link", name="Configurer une application").click()
    # Nothing to confirm with yet but the password.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre identité")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Configurer une application d'authentification"
    )
    assert_accessible(page)
    shot(page, "mfa-totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(code_for(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de récupération")
    shot(page, "mfa-recovery-codes")

    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    cache.clear()  # the code just used is refused a second time within its 30 seconds
    sign_in(page, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    expect(page.get_by_role("button", name="Utiliser ma clé")).to_have_count(0)  # has none
    assert_accessible(page)
    shot(page, "mfa-authenticate")
    page.locator("#id_code").fill(code_for(secret))
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/gestion/$"))


def test_officer_adds_a_passkey_then_signs_in_with_it(officer, browser_page, assert_accessible):
    """Chromium's virtual authenticator stands in for the security key (WebAuthn on the live
    server's http://localhost, which browsers treat as secure)."""
    page = browser_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, officer)
    page.get_by_role("link", name="Ajouter une clé").click()
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ajouter une clé de sécurité ou un passkey"
    )
    assert_accessible(page)
    shot(page, "mfa-webauthn-add")
    page.get_by_label("Nom de la clé").fill("Ordinateur du bureau")
    page.get_by_label("Sans mot de passe").check(force=True)
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de récupération")
    page.goto("/gestion/")
    expect(page).to_have_url(re.compile(r"/gestion/$"))

    # The key as second step after the password…
    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    sign_in(page, officer)
    page.get_by_role("button", name="Utiliser ma clé").click()
    expect(page).to_have_url(re.compile(r"/gestion/$"))

    # … or alone, as a passkey.
    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    page.goto("/compte/login/")
    page.get_by_role("button", name="Utiliser un passkey").click()
    expect(page).to_have_url(re.compile(r"/gestion/$"))
