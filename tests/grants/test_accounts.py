"""Accounts as a user meets them: sign-up, e-mail verification, sign-in, throttling, password
reset and two-factor authentication, in French by default and in English under /en/."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

EMAIL = "camille.martin@example.org"
PASSWORD = "Ruche-abeilles-2026"
NEW_PASSWORD = "Nouvelle-ruche-2027"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache(calls_index):
    """The site's home page exists (header menu, dashboard); rate limits and used TOTP codes
    live in the cache, emptied so that no test inherits another's attempts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def verified_user():
    user = get_user_model().objects.create_user("camille", EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


def link_in(message) -> str:
    """The path of the one link of the site in an e-mail body: on the site's configured address
    (RUCHE_BASE_URL), not the host the request came through."""
    (url,) = re.findall(rf"{re.escape(settings.WAGTAILADMIN_BASE_URL)}(/\S+)", message.body)
    return url


def sign_up(client, prefix=""):
    return client.post(
        f"{prefix}/compte/signup/",
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD},
    )


def log_in(client, password=PASSWORD):
    return client.post("/compte/login/", {"login": EMAIL, "password": password})


def current_totp_code(secret: str) -> str:
    """What the user's authenticator app shows now, computed as allauth checks it."""
    return format_hotp_value(hotp_value(secret, next(iter(counters()))))


def test_sign_up_sends_a_verification_email_in_french(client, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    page = client.get(response["Location"]).content.decode()
    assert "Vérifiez votre adresse e-mail" in page
    (message,) = mailoutbox
    assert message.to == [EMAIL]
    assert message.subject == "[Ruche] Confirmez votre adresse électronique"
    assert message.body.startswith("Bonjour, c'est Ruche !")
    assert link_in(message).startswith("/compte/confirm-email/")


def test_sign_up_in_english_sends_the_email_in_english(client, mailoutbox):
    response = sign_up(client, prefix="/en")

    assert response["Location"] == "/en/compte/confirm-email/"
    (message,) = mailoutbox
    assert message.subject == "[Ruche] Please Confirm Your Email Address"
    assert message.body.startswith("Hello from Ruche!")
    assert link_in(message).startswith("/en/compte/confirm-email/")


def test_sign_up_errors_are_shown_with_their_field(client, mailoutbox):
    response = client.post(
        "/compte/signup/", {"email": EMAIL, "password1": "ruche", "password2": "ruche"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Erreur : " in " ".join(page.split())
    # The error sits in the block the password input points to, so screen readers read it.
    assert 'aria-invalid="true" aria-describedby="id_password1-messages"' in page
    messages = page.split('id="id_password1-messages"')[1].split("</div>")[0]
    assert "Ce mot de passe est trop court." in messages
    assert mailoutbox == []
    assert not get_user_model().objects.exists()


def test_login_is_refused_until_the_email_is_verified(client, mailoutbox):
    sign_up(client)

    response = log_in(client)

    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    dashboard = client.get("/espace/")
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith("/compte/login/")


def test_email_link_verifies_the_address_signs_in_and_lands_on_the_dashboard(client, mailoutbox):
    sign_up(client)
    confirm_url = link_in(mailoutbox[0])

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Confirmer l'adresse e-mail" in page.content.decode()
    response = client.post(confirm_url)

    assert response.status_code == 302
    assert response["Location"] == "/accueil/"  # then the applicant space (ruche.views.landing)
    dashboard = client.get("/espace/")
    assert dashboard.status_code == 200
    assert "Se déconnecter" in dashboard.content.decode()
    assert EmailAddress.objects.get(email=EMAIL).verified


def test_wrong_password_is_throttled_after_five_attempts(client, verified_user):
    for _attempt in range(5):
        response = log_in(client, password="pas-le-bon-mot-de-passe")
        assert response.status_code == 200
        assert "L’adresse e-mail ou le mot de passe sont incorrects." in (response.content.decode())

    sixth = log_in(client, password="pas-le-bon-mot-de-passe")
    throttled = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
    assert sixth.status_code == 200
    assert throttled in sixth.content.decode()
    # Even the right password is refused while the account is throttled.
    right = log_in(client)
    assert right.status_code == 200
    assert throttled in right.content.decode()
    assert client.get("/espace/").status_code == 302


def test_password_reset_link_lets_the_user_choose_a_new_password(client, verified_user, mailoutbox):
    response = client.post("/compte/password/reset/", {"email": EMAIL})
    assert response["Location"] == "/compte/password/reset/done/"
    (message,) = mailoutbox
    assert message.subject == "[Ruche] Choisir un nouveau mot de passe"
    assert "réinitialiser votre mot de passe" in message.body

    # The link hides its key from the page (and the Referer) by redirecting once.
    form_url = client.get(link_in(message))["Location"]
    assert "Modifier le mot de passe" in client.get(form_url).content.decode()
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == "/compte/password/reset/key/done/"
    assert "Votre mot de passe a été modifié." in client.get(response["Location"]).content.decode()

    assert log_in(client, password=PASSWORD).status_code == 200
    assert log_in(client, password=NEW_PASSWORD)["Location"] == "/accueil/"


def test_totp_activation_makes_login_ask_for_a_valid_code(client, verified_user, mailoutbox):
    log_in(client)
    # Adding an authenticator asks for the password again, then comes back.
    response = client.get("/compte/2fa/totp/activate/")
    assert (
        response["Location"] == "/compte/reauthenticate/?next=%2Fcompte%2F2fa%2Ftotp%2Factivate%2F"
    )
    response = client.post(
        "/compte/reauthenticate/", {"password": PASSWORD, "next": "/compte/2fa/totp/activate/"}
    )
    assert response["Location"] == "/compte/2fa/totp/activate/"
    page = client.get("/compte/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown for manual entry in the app

    response = client.post("/compte/2fa/totp/activate/", {"code": current_totp_code(secret)})
    assert response.status_code == 302
    # Recovery codes are generated with the first authenticator, and shown.
    assert response["Location"] == "/compte/2fa/recovery-codes/"
    assert "Codes de récupération" in client.get(response["Location"]).content.decode()
    client.post("/compte/logout/")

    response = log_in(client)
    assert response["Location"] == "/compte/2fa/authenticate/"
    assert client.get("/espace/").status_code == 302  # not signed in yet
    wrong = client.post("/compte/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Code incorrect." in wrong.content.decode()
    response = client.post("/compte/2fa/authenticate/", {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accueil/"  # then the applicant space (ruche.views.landing)
    assert client.get("/espace/").status_code == 200


def test_header_offers_sign_in_then_the_user_space_and_sign_out(client, verified_user):
    anonymous = client.get("/compte/login/").content.decode()
    assert 'href="/compte/login/">Se connecter</a>' in anonymous
    assert 'href="/compte/signup/">Créer un compte</a>' in anonymous
    assert "Espace de gestion" not in anonymous

    log_in(client)
    signed_in = client.get("/compte/email/").content.decode()
    assert 'href="/espace/">Mon espace</a>' in signed_in
    assert '<form method="post" action="/compte/logout/">' in signed_in
    assert "Se connecter" not in signed_in
    assert "Espace de gestion" not in signed_in

    verified_user.is_staff = True
    verified_user.save()
    assert "Espace de gestion" in client.get("/compte/email/").content.decode()

    response = client.post("/compte/logout/")
    assert response.status_code == 302
    assert client.get("/espace/").status_code == 302


@pytest.mark.django_db
def test_allauth_speaks_plain_french(client, calls_index, verified_user):
    user = verified_user
    response = client.post(
        reverse("account_login"), {"login": EMAIL, "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert f"Vous êtes connecté avec l&#x27;adresse {user.email}" in page or (
        f"Vous êtes connecté avec l'adresse {user.email}" in page
    )
    assert "réussie" not in page
