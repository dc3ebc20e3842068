"""Settings shared by every environment. Values come from the environment with safe defaults.

Embedded defaults: SQLite and the database search backend, so that a fresh checkout runs with
no server. ``DATABASE_URL`` selects PostgreSQL; ``ELASTICSEARCH_URL`` enables Elasticsearch.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


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
    "search",
    "dsfr",
    "widget_tweaks",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "rules",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Staff translate a page, or a whole tree, into English from the admin ("Traduire").
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
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
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
                "dsfr.context_processors.site_config",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Accounts (django-allauth): sign-in by email, verified before use, optional TOTP.
AUTHENTICATION_BACKENDS = [
    # Role predicates (evaluation/roles.py) answer user.has_perm for the workflow permissions.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ruche] "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed logins are throttled per IP and per account (allauth's rate limits use the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}


def account_display(user) -> str:
    """Users sign in by e-mail and never see the username allauth derives from it."""
    return user.email or user.get_username()


ACCOUNT_USER_DISPLAY = account_display
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ruche"
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

# Search of the public catalogue (the search app): Elasticsearch when a URL is given.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# The operator's own SIRET, published as idAttribuant in the SCDL open data file: configured,
# never invented (empty until set).
RUCHE_ATTRIBUTING_SIRET = os.environ.get("RUCHE_ATTRIBUTING_SIRET", "")
# The key of the audit trail's HMACs, kept out of the database (derived from SECRET_KEY when
# empty). Changing it makes every existing entry fail verification: set it once, keep it.
RUCHE_AUDIT_KEY = os.environ.get("RUCHE_AUDIT_KEY", "")

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Ruche <ne-pas-repondre@ruche.local>"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
