"""What a deployment plugs Ruche into: mail server, shared cache, file storage, error
reporting, logs and security headers. Every value from the environment; the defaults run a
single machine with no other server (local disk, per-process cache, mail to localhost).

Imported at the end of ``base``: settings modules below it may still override any value.
"""

import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from .env import env_addresses, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# -- Mail ------------------------------------------------------------------------------------
# Every email goes through the task queue (core.mail.deliver); the worker talks to this server.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")  # implicit TLS, usually port 465
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
# Where answers to Ruche's emails go (the sender is often a no-reply address).
RUCHE_EMAIL_REPLY_TO = env_list("RUCHE_EMAIL_REPLY_TO")
# A failed delivery is retried after 1, 2, 4, 8… times this delay, this many attempts in all;
# then it waits on the staff page « Courriels en échec » for someone to retry it.
RUCHE_MAIL_ATTEMPTS = env_int("RUCHE_MAIL_ATTEMPTS", 6)
RUCHE_MAIL_RETRY_SECONDS = env_int("RUCHE_MAIL_RETRY_SECONDS", 60)

# Server errors are mailed to ADMINS (through the queue) and, with a DSN, sent to Sentry.
ADMINS = env_addresses("DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get(
    "DJANGO_SERVER_EMAIL",
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Ruche <ne-pas-repondre@ruche.local>"),
)

# -- Cache and sessions ----------------------------------------------------------------------
# With several gunicorn workers or web nodes, login throttling, sessions and page caches must
# be shared: Redis when REDIS_URL is set, else each process keeps its own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("RUCHE_CACHE_PREFIX", "ruche"),
        }
    }
    # Read from Redis, written through to the database: a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages: computed fragments (menus, footer, breadcrumbs, a call's description) in each
# process's memory and, for anonymous visitors, whole pages (wagtail-cache) in the shared
# cache; the keys of both carry the content generation (cms.caching), which publishing
# anything shown renews. RUCHE_PAGE_CACHE_SECONDS: how long an anonymous page is kept at most
# (an open call's page until its next relève if sooner); 0 turns the page cache off.
RUCHE_PAGE_CACHE_SECONDS = env_int("RUCHE_PAGE_CACHE_SECONDS", 600)
CACHES["pages"] = {
    **CACHES["default"],
    "KEY_PREFIX": f"{CACHES['default'].get('KEY_PREFIX', 'ruche')}-pages",
    "KEY_FUNCTION": "cms.caching.generation_key",
    "TIMEOUT": RUCHE_PAGE_CACHE_SECONDS or 600,
    # Version 2: pages are stored with the headers of the whole middleware stack; copies kept
    # by an earlier release, without them, are not read.
    "VERSION": 2,
}
if not REDIS_URL:
    CACHES["pages"]["LOCATION"] = "pages"
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "KEY_FUNCTION": "cms.caching.generation_key",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
WAGTAIL_CACHE = RUCHE_PAGE_CACHE_SECONDS > 0
WAGTAIL_CACHE_BACKEND = "pages"
WAGTAIL_CACHE_HEADER = "X-Ruche-Cache"

# The client's address for throttling: behind N proxies (nginx, a load balancer), the N-th
# address from the right of X-Forwarded-For; 0 trusts only the connection's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("RUCHE_TRUSTED_PROXY_COUNT", 0)

# -- Files -----------------------------------------------------------------------------------
# RUCHE_STORAGE=local (default): media and applicants' files on this machine's disk.
# RUCHE_STORAGE=s3: both in an S3-compatible bucket (django-storages), shared by every node;
# applicants' files under a private prefix, handed out by short-lived signed links.
RUCHE_STORAGE = os.environ.get("RUCHE_STORAGE", "local")
if RUCHE_STORAGE == "s3":
    _s3 = {
        "bucket_name": os.environ.get("RUCHE_S3_BUCKET", ""),
        "endpoint_url": os.environ.get("RUCHE_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("RUCHE_S3_REGION") or None,
        "access_key": os.environ.get("RUCHE_S3_ACCESS_KEY_ID", ""),
        "secret_key": os.environ.get("RUCHE_S3_SECRET_ACCESS_KEY", ""),
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
    }
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "location": "media", "querystring_expire": 3600},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "location": "private", "querystring_expire": 60},
        },
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "grants.storage.PrivateStorage"},
    }
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Wagtail's images then come from the object store: its origin is allowed to show them.
_S3_ORIGIN = (
    [os.environ["RUCHE_S3_ENDPOINT_URL"]] if os.environ.get("RUCHE_S3_ENDPOINT_URL") else []
)
# With the local disk behind nginx: private files are sent by nginx after the permission
# check (X-Accel-Redirect to this internal location); empty, Python streams them.
RUCHE_PRIVATE_ACCEL_PREFIX = os.environ.get("RUCHE_PRIVATE_ACCEL_PREFIX", "")

# -- Periodic jobs (manage.py run_job, started by the deployment's timers) -----------------
# Experts are reminded this many days before a review's due date, and once after it.
RUCHE_REVIEW_REMINDER_DAYS = env_int("RUCHE_REVIEW_REMINDER_DAYS", 3)
# Drafts nobody touched for this many days are deleted with their files (0: kept forever).
RUCHE_DRAFT_RETENTION_DAYS = env_int("RUCHE_DRAFT_RETENTION_DAYS", 3 * 365)
# Task results are kept this many days, failed emails' longer (the staff page lists them).
RUCHE_TASK_RESULT_DAYS = env_int("RUCHE_TASK_RESULT_DAYS", 14)
RUCHE_FAILED_TASK_DAYS = env_int("RUCHE_FAILED_TASK_DAYS", 90)

# -- Health ----------------------------------------------------------------------------------
# /sante/ says "degraded" when the oldest task waiting for a worker is older than this.
RUCHE_HEALTH_MAX_QUEUE_LAG = env_int("RUCHE_HEALTH_MAX_QUEUE_LAG", 300)

# -- Security headers ------------------------------------------------------------------------
# Scripts and styles from this site only; the DSFR's module loader and the few inline scripts
# carry the request's nonce. Inline style attributes (the DSFR's, Wagtail's) stay allowed.
# The CMS admin has its own exception (ruche/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *_S3_ORIGIN, *env_list("RUCHE_CSP_IMG_SRC")],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [SELF, *env_list("RUCHE_CSP_FRAME_SRC")],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The admin shows initials rather than fetching avatars from another site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Features no page of Ruche uses are switched off for every page and every embedded frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# -- Logs ------------------------------------------------------------------------------------
# One JSON object per line (RUCHE_LOG_FORMAT=json, production's default) or plain text, each
# with the request's id (X-Request-ID from the proxy, or a new one, echoed in the response).
RUCHE_LOG_FORMAT = os.environ.get("RUCHE_LOG_FORMAT", "text")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "UUID_LENGTH": 32,
}


def logging_config(log_format: str) -> dict:
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "correlation_id": "request_id",
            },
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "correlation_id": {"()": "django_guid.log_filters.CorrelationId"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {"default": formatters.get(log_format, formatters["text"])},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["correlation_id"],
                "formatter": "default",
            },
            "mail_admins": {
                "level": "ERROR",
                "filters": ["require_debug_false"],
                "class": "core.logs.QueuedAdminEmailHandler",
            },
        },
        "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
        "loggers": {
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "django_guid": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "django.request": {
                "handlers": ["console", "mail_admins"],
                "level": "ERROR",
                "propagate": False,
            },
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


LOGGING = logging_config(RUCHE_LOG_FORMAT)

# -- Error reporting -------------------------------------------------------------------------
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Applicants' personal data stays out of the reports.
        send_default_pii=False,
    )
