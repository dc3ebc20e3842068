"""Tests: PostgreSQL when DATABASE_URL is set (CI), SQLite otherwise; fast hashing, local mail."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Off whatever the environment says: the tests of strong authentication turn it on.
RUCHE_REQUIRE_MFA = False

# Two test runs on one PostgreSQL server need distinct test databases (pytest-django drops and
# recreates its own): RUCHE_TEST_DATABASE names it, the default is Django's test_<name>.
if os.environ.get("RUCHE_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["RUCHE_TEST_DATABASE"]}  # noqa: F405

# Tests choose the search backend they exercise (tests/search/conftest.py): the environment's
# SEARCH_ENGINE must not send every other test to a server.
SEARCH_ENGINE = "database"

# No test reaches the real company directory: the tests that need one start a local server
# with recorded answers and point this setting to it.
RUCHE_COMPANY_DIRECTORY_URL = ""

# -- A real OpenID Connect provider for the ProConnect tests (tests/oidc_provider) -----------
# django-oauth-toolkit, installed here only, with its URLs in front of Ruche's. It signs with a
# key made for this run; the tests create its client application and point ProConnect at it.
INSTALLED_APPS += ["oauth2_provider", "tests.oidc_provider"]  # noqa: F405
ROOT_URLCONF = "tests.oidc_provider.urls"


def _new_rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _new_rsa_key(),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.ProConnectLikeValidator",
    "SCOPES": {
        "openid": "Identifiant",
        "email": "Adresse électronique",
        "given_name": "Prénoms",
        "usual_name": "Nom d'usage",
        "uid": "Identifiant chez le fournisseur",
        "siret": "SIRET de l'établissement",
    },
    # ProConnect takes no PKCE parameter; the consent page shows every time.
    "PKCE_REQUIRED": False,
    "REQUEST_APPROVAL_PROMPT": "force",
}
# The test provider stands in for ProConnect, which is another site with its own policy: Ruche's
# Content-Security-Policy is not applied to its pages.
CONTENT_SECURITY_POLICY = {  # noqa: F405
    **CONTENT_SECURITY_POLICY,  # noqa: F405
    "EXCLUDE_URL_PREFIXES": ["/fournisseur-oidc/"],
}
