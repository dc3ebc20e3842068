"""Sign-in with ProConnect against a real OpenID Connect provider (django-oauth-toolkit, served
by the live server): Ruche's side is the test client, the person's browser on the provider's
side is a requests session, and allauth talks to the provider over HTTP."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache

from .html_forms import form_fields
from .oidc_provider.testing import (
    CLIENT_ID,
    PASSWORD,
    point_proconnect_at,
    provider_person,
    register_ruche,
)

AGENT = "camille.martin@sante.gouv.fr"
LOGIN = "/compte/proconnect/login/"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def proconnect(settings, live_server, calls_index):
    """ProConnect on, pointed at the test provider; the site's home page exists (dashboard)."""
    cache.clear()
    register_ruche("http://testserver")
    point_proconnect_at(settings, live_server.url)
    yield
    cache.clear()


def ruche_account(email: str = AGENT):
    user = get_user_model().objects.create_user("camille", email, "Mot-de-passe-Ruche-2026")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def start_sign_in(client) -> str:
    """Click « S'identifier avec ProConnect »: the URL Ruche sends the browser to."""
    response = client.post(LOGIN)
    assert response.status_code == 302
    return response["Location"]


def at_the_provider(authorize_url: str, email: str, *, allow: bool = True) -> str:
    """Sign in on the provider's page and answer its consent page: where the provider sends
    the browser back to (Ruche's callback, with a code or an error)."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert "Fournisseur d'identité de test" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    page = browser.post(
        page.url,
        {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD, "next": next_url},
        timeout=10,
    )
    consent = form_fields(page.text, "id")
    if allow:
        consent["allow"] = "Authorize"
    answer = browser.post(page.url, consent, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def back_at_ruche(client, callback_url: str):
    parts = urlsplit(callback_url)
    assert f"{parts.scheme}://{parts.netloc}" == "http://testserver"
    return client.get(f"{parts.path}?{parts.query}")


def signed_in(client) -> bool:
    return client.get("/espace/").status_code == 200


def test_the_authorisation_request_is_what_proconnect_accepts(client):
    params = parse_qs(urlsplit(start_sign_in(client)).query)

    assert set(params) == {
        "client_id",
        "redirect_uri",
        "scope",
        "response_type",
        "state",
        "nonce",
    }  # ProConnect refuses any other parameter, PKCE's included
    assert params["client_id"] == [CLIENT_ID]
    assert params["redirect_uri"] == ["http://testserver/compte/proconnect/login/callback/"]
    assert set(params["scope"][0].split()) == {"openid", "email", "given_name", "usual_name"}
    assert len(params["state"][0]) >= 32 and len(params["nonce"][0]) >= 32


def test_the_english_pages_use_the_same_redirect_uri_and_next_is_kept(client):
    ruche_account()
    provider_person(AGENT)
    response = client.post("/en/compte/proconnect/login/?next=/en/espace/organisation/nouvelle/")
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params["redirect_uri"] == ["http://testserver/compte/proconnect/login/callback/"]

    response = back_at_ruche(client, at_the_provider(response["Location"], AGENT))

    assert response["Location"] == "/en/espace/organisation/nouvelle/"
    assert signed_in(client)


def test_a_known_email_signs_in_its_ruche_account_and_links_it(client):
    user = ruche_account()
    provider_person(AGENT)

    response = back_at_ruche(client, at_the_provider(start_sign_in(client), AGENT))

    assert response.status_code == 302
    assert response["Location"] == "/accueil/"  # then their space (ruche.views.landing)
    assert signed_in(client)
    assert client.get("/espace/").context["user"] == user
    account = SocialAccount.objects.get()
    assert (account.user, account.provider) == (user, "proconnect")
    assert get_user_model().objects.filter(email=AGENT).count() == 1
    user.refresh_from_db()
    assert user.has_usable_password()  # a verified address: the password still works too

    # Next time the linked ProConnect account signs the same person in.
    client.post("/compte/logout/")
    assert not signed_in(client)
    back_at_ruche(client, at_the_provider(start_sign_in(client), AGENT))
    assert client.get("/espace/").context["user"] == user
    assert SocialAccount.objects.count() == 1


def test_a_new_email_gets_an_account_without_a_form(client):
    provider_person("ines.dupont@ars.sante.fr", given_name="Inès", usual_name="Dupont")

    response = back_at_ruche(
        client, at_the_provider(start_sign_in(client), "ines.dupont@ars.sante.fr")
    )

    assert response["Location"] == "/accueil/"
    assert signed_in(client)
    address = EmailAddress.objects.get(email="ines.dupont@ars.sante.fr")
    assert address.verified and address.primary
    assert (address.user.first_name, address.user.last_name) == ("Inès", "Dupont")


def test_a_refused_consent_signs_nobody_in(client):
    ruche_account()
    provider_person(AGENT)

    callback = at_the_provider(start_sign_in(client), AGENT, allow=False)
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]
    response = back_at_ruche(client, callback)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Connexion annulée" in page.text
    assert "Vous avez refusé de transmettre vos informations" in page.text
    assert not signed_in(client)
    assert not SocialAccount.objects.exists()


def test_a_mismatched_state_signs_nobody_in(client):
    ruche_account()
    provider_person(AGENT)
    callback = at_the_provider(start_sign_in(client), AGENT)
    forged = re.sub(r"state=[^&]+", "state=" + "x" * 43, callback)

    page = back_at_ruche(client, forged)

    assert "<h1>La connexion n'a pas abouti</h1>" in page.text
    assert not signed_in(client)
    assert not SocialAccount.objects.exists()


def test_a_code_issued_for_another_sign_in_is_refused(client):
    """Two sign-ins started in one session: the code of the first, brought back with the
    second's (valid) state, carries the first's nonce and is refused."""
    ruche_account()
    provider_person(AGENT)
    first = start_sign_in(client)
    second_state = parse_qs(urlsplit(start_sign_in(client)).query)["state"][0]
    callback = at_the_provider(first, AGENT)
    swapped = re.sub(r"state=[^&]+", "state=" + second_state, callback)

    page = back_at_ruche(client, swapped)

    assert "<h1>La connexion n'a pas abouti</h1>" in page.text
    assert not signed_in(client)
    assert not SocialAccount.objects.exists()


def test_the_login_page_offers_proconnect_only_when_configured(client, settings):
    page = client.get("/compte/login/").text
    assert '<span class="fr-connect__brand">ProConnect</span>' in page
    assert '<span class="fr-connect__login">S\'identifier avec</span>' in page
    assert f'<form method="post" action="{LOGIN}?process=login">' in page

    settings.SOCIALACCOUNT_PROVIDERS = {"proconnect": {"APPS": []}}
    page = client.get("/compte/login/").text
    assert "ProConnect" not in page
    assert 'name="login"' in page  # email and password, as before
