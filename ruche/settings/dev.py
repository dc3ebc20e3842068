"""Local development: the embedded defaults (SQLite, database search).

Debug pages stay off unless asked for (DJANGO_DEBUG=1): someone who runs the demo on a reachable
address must not show tracebacks and settings to visitors. WhiteNoise serves the static files
straight from their folders, so nothing has to be collected first.
"""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", False)
# A development-only key; production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", *env_list("DJANGO_ALLOWED_HOSTS")]
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded media (Wagtail images) served by Django in development only (ruche/urls.py).
RUCHE_SERVE_MEDIA = True
# Emails land as files in var/mail/ (readable, and the console stays quiet).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
