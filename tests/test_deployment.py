"""The deployment guide and the files it ships stay true to the code: every environment
variable the settings read is in both tables, and the S3 and X-Accel-Redirect ways of
handing out a private file do what the guide says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from grants.downloads import private_file_response

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(
    r"""(?:environ(?:\.get)?\(\s*|environ\[|env_(?:bool|int|list|addresses)\(\s*)["']([A-Z0-9_]+)["']"""
)


def variables_read() -> set[str]:
    sources = [*ROOT.glob("ruche/settings/*.py"), ROOT / "deploy" / "gunicorn.conf.py"]
    found = {name for path in sources for name in READ.findall(path.read_text())}
    return found - {"RUCHE_TEST_DATABASE"}  # the test suite's own


@pytest.mark.parametrize("guide", ["docs/deploiement.md", "docs/deployment.md"])
def test_every_environment_variable_is_in_the_guides_table(guide):
    text = (ROOT / guide).read_text()
    rows = "\n".join(line for line in text.splitlines() if line.startswith("| `"))
    missing = sorted(name for name in variables_read() if f"`{name}`" not in rows)
    assert variables_read() >= {"DJANGO_EMAIL_HOST", "REDIS_URL", "RUCHE_STORAGE", "SENTRY_DSN"}
    assert not missing, f"{guide}: {missing}"


class _Stored:
    """A FieldFile's two attributes the response uses."""

    def __init__(self, storage, name: str):
        self.storage, self.name = storage, name

    def open(self, mode="rb"):
        return self.storage.open(self.name, mode)


def test_behind_nginx_a_private_file_is_sent_by_x_accel_redirect(settings):
    settings.RUCHE_PRIVATE_ACCEL_PREFIX = "/_private/"
    name = storages["private"].save("attachments/ab/abcdef", ContentFile(b"%PDF-1.7 ..."))
    response = private_file_response(
        _Stored(storages["private"], name), "Budget prévisionnel.pdf", "application/pdf"
    )
    assert response["X-Accel-Redirect"] == f"/_private/{name}"
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''Budget%20pr%C3%A9visionnel.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_object_storage_a_private_file_is_a_short_signed_link(settings):
    """Signing happens locally (no request to the store): the link names the file, lasts a
    minute and forces a download of the detected type."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "ruche-test",
                "endpoint_url": "https://s3.example.test",
                "region_name": "fr-par",
                "access_key": "AKIATEST",
                "secret_key": "secret",
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
    }
    response = private_file_response(
        _Stored(storages["private"], "attachments/ab/abcdef"), "kbis.pdf", "application/pdf"
    )
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith("https://s3.example.test/ruche-test/private/attachments/ab/abcdef?")
    assert "X-Amz-Expires=60" in link and "X-Amz-Signature=" in link
    assert "response-content-disposition=attachment" in link
