"""Helpers for the tests that sign in through the test provider: its client application (Ruche,
as registered with ProConnect), its people, and ProConnect's settings pointed at it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from oauth2_provider.models import Application

from ruche.settings.base import proconnect_apps

CLIENT_ID = "ruche-tests"
CLIENT_SECRET = "secret-du-fournisseur-de-test"  # noqa: S105 (the test provider's own)
PASSWORD = "mot-de-passe-du-fournisseur"  # noqa: S105
CALLBACK = "/compte/proconnect/login/callback/"


def register_ruche(*origins: str) -> Application:
    """Ruche as the provider's client, with one redirect URI per origin it is reached at."""
    return Application.objects.create(
        name="Ruche",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(origin + CALLBACK for origin in origins),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )


def point_proconnect_at(settings, provider_origin: str) -> None:
    """ProConnect configured as a deployer would, with the provider's URL for server URL."""
    apps = proconnect_apps(CLIENT_ID, CLIENT_SECRET, provider_origin + "/fournisseur-oidc")
    settings.SOCIALACCOUNT_PROVIDERS = {
        "proconnect": {**settings.SOCIALACCOUNT_PROVIDERS["proconnect"], "APPS": apps}
    }


def provider_person(email: str, given_name: str = "Camille", usual_name: str = "Martin"):
    """Someone the provider knows (see the package's docstring: not a Ruche account)."""
    return get_user_model().objects.create_user(
        username=email, password=PASSWORD, first_name=given_name, last_name=usual_name
    )
