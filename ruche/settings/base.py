"""Settings shared by every environment. Values come from the environment with safe defaults.

Embedded defaults: SQLite and the database search backend, so that a fresh checkout runs with
no server. ``DATABASE_URL`` selects PostgreSQL; ``SEARCH_ENGINE`` a search engine.
"""

import os
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project package: URLs and the demo loader, above every app.
    "ruche",
    "cms",
    "grants",
    "evaluation",
    "ethics",
    "funding",
    "search",
    "dsfr",
    "widget_tweaks",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django_guid",
    "csp",
    "rules",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Staff translate a page, or a whole tree, into English from the admin ("Traduire").
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, its group pages confirming identity (ruche.admin_groups).
    "ruche.wagtail_users.RucheUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    # The request's id first, so that every log line of the request carries it.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous visitors' public pages from the page cache: what follows runs on a miss only,
    # and the headers it adds are stored with the page.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "ruche.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff, committee and experts without a second factor are sent to set one up (core/mfa.py).
    "core.mfa.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "ruche.urls"
WSGI_APPLICATION = "ruche.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.context_processors.site_config",
                "wagtail.contrib.settings.context_processors.settings",
                "grants.views.inbox.unread_messages",
            ],
        },
    },
]
# django-dsfr renders its form widgets with templates found through the template engines.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second. Instants are stored in UTC and shown in Paris time: a call
# closing "12 mars 2026 à 12h00" closes at that Paris instant whatever the DST.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Accounts (django-allauth): sign-in by email, verified before use, a second factor (TOTP,
# security keys and passkeys, recovery codes) required for staff, committee and experts.
AUTHENTICATION_BACKENDS = [
    # Role predicates (evaluation/roles.py) answer user.has_perm for the workflow permissions.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "grants.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ruche] "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed logins are throttled per client address and per account from that address
# (grants/accounts.py), in the shared cache: a stranger cannot lock an account out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}


def account_display(user) -> str:
    """Users sign in by e-mail and never see the username allauth derives from it."""
    return user.email or user.get_username()


ACCOUNT_USER_DISPLAY = account_display
MFA_ADAPTER = "grants.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Ruche"
# A passkey (WebAuthn with user verification) signs in alone: it is both factors.
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {
    "add_webauthn": "grants.accounts.AddKeyForm",
    "edit_webauthn": "grants.accounts.EditKeyForm",
}
# Staff, committee members and experts must have a second factor, and confirm it again before
# a decision, a stage change or a role change (core/mfa.py). Production turns it on by default.
RUCHE_REQUIRE_MFA = env_bool("RUCHE_REQUIRE_MFA", False)
# How long such a confirmation lasts: a committee deciding on a series of files confirms once.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("RUCHE_REAUTHENTICATION_SECONDS", 10 * 60)
LOGIN_URL = "account_login"
# After sign-in each person lands where their work is (ruche.views.landing).
LOGIN_REDIRECT_URL = "landing"
# Long sessions renewed on activity: applicants write long answers, and short idle timeouts
# lost their work on other platforms.
SESSION_COOKIE_AGE = int(os.environ.get("RUCHE_SESSION_SECONDS", str(12 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True

# Background tasks (emails, PDFs). Immediate by default; production uses the database queue
# with `manage.py db_worker`. Callers enqueue from transaction.on_commit.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "RUCHE_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Applicants' files: outside MEDIA_ROOT, served only through permission-checked views.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("RUCHE_PRIVATE_ROOT", BASE_DIR / "var" / "private"))
ATTACHMENT_MAX_BYTES = int(os.environ.get("RUCHE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
APPLICATION_MAX_BYTES = int(os.environ.get("RUCHE_APPLICATION_MAX_BYTES", str(40 * 1024 * 1024)))

# Wagtail
WAGTAIL_SITE_NAME = "Ruche"
WAGTAILADMIN_BASE_URL = os.environ.get("RUCHE_BASE_URL", "http://localhost:8000")
# Pages have a French original and an English translation (same translation_key): French at
# the root, English under /en/ with English slugs. Applications always belong to the French
# call (CallPage.reference).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "xlsx", "docx", "csv", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Search of the public catalogue (the search app): the database by default (no server), or
# a search engine, "opensearch" (2 or 3) or "elasticsearch" (8 or 9), at SEARCH_URL (which may
# hold user:password@). ELASTICSEARCH_URL alone still selects Elasticsearch.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "").strip().lower() or (
    "elasticsearch" if ELASTICSEARCH_URL else "database"
)
SEARCH_URL = os.environ.get("SEARCH_URL", "") or ELASTICSEARCH_URL or "http://127.0.0.1:9200"
# The engine's alias; its versions are named <alias>-<timestamp>.
SEARCH_INDEX = os.environ.get("SEARCH_INDEX", "ruche-projects")
# The operator's own SIRET, published as idAttribuant in the SCDL open data file: configured,
# never invented (empty until set).
RUCHE_ATTRIBUTING_SIRET = os.environ.get("RUCHE_ATTRIBUTING_SIRET", "")
# The key of the audit trail's HMACs, kept out of the database (derived from SECRET_KEY when
# empty). Changing it makes every existing entry fail verification: set it once, keep it.
RUCHE_AUDIT_KEY = os.environ.get("RUCHE_AUDIT_KEY", "")

# -- Company directory (grants/directory.py) -------------------------------------------------
# The State's « API Recherche d'entreprises » fills the organisation form from its SIRET. An
# empty URL turns it off (manual entry only); the timeout is short because the applicant waits.
RUCHE_COMPANY_DIRECTORY_URL = os.environ.get(
    "RUCHE_COMPANY_DIRECTORY_URL", "https://recherche-entreprises.api.gouv.fr"
)
RUCHE_COMPANY_DIRECTORY_TIMEOUT = float(os.environ.get("RUCHE_COMPANY_DIRECTORY_TIMEOUT", "3"))

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Ruche <ne-pas-repondre@ruche.local>"
)

# -- Sign-in with ProConnect (ruche/proconnect) ----------------------------------------------
# The State's identity federation for professionals, beside email and password. On when the
# three variables are set: the client id and secret ProConnect issued, and its server URL (the
# issuer, before /.well-known/openid-configuration). Register the redirect URI
# <RUCHE_BASE_URL>/compte/proconnect/login/callback/ with ProConnect.
INSTALLED_APPS += ["allauth.socialaccount", "ruche.proconnect"]
PROCONNECT_CLIENT_ID = os.environ.get("RUCHE_PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("RUCHE_PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SERVER_URL = os.environ.get("RUCHE_PROCONNECT_SERVER_URL", "")


def proconnect_apps(client_id: str, secret: str, server_url: str) -> list[dict]:
    if not (client_id and secret and server_url):
        return []
    return [
        {
            "name": "ProConnect",
            "client_id": client_id,
            "secret": secret,
            "settings": {"server_url": server_url},
        }
    ]


SOCIALACCOUNT_PROVIDERS = {
    "proconnect": {
        "APPS": proconnect_apps(
            PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET, PROCONNECT_SERVER_URL
        ),
        # ProConnect's identity providers vouch for the professional email address: it signs
        # in the Ruche account that has it (verified), and links the two, without a form.
        "VERIFIED_EMAIL": True,
        "EMAIL_AUTHENTICATION": True,
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# An account new to Ruche is created from ProConnect's email and names, without a form.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False

# Mail server, cache, file storage, logs, error reporting and security headers.
from .services import *  # noqa: E402, F403
