"""Tests: PostgreSQL when DATABASE_URL is set (CI), SQLite otherwise; fast hashing, local mail."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Two test runs on one PostgreSQL server need distinct test databases (pytest-django drops and
# recreates its own): RUCHE_TEST_DATABASE names it, the default is Django's test_<name>.
if os.environ.get("RUCHE_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["RUCHE_TEST_DATABASE"]}  # noqa: F405

# No test reaches the real company directory: the tests that need one start a local server
# with recorded answers and point this setting to it.
RUCHE_COMPANY_DIRECTORY_URL = ""
