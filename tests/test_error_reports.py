"""Server errors reach the people who fix them: mailed to ADMINS through the task queue, and
sent to Sentry when a DSN is set (to a local HTTP server standing in for Sentry's intake)."""

from __future__ import annotations

import gzip
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins(settings, mailoutbox):
    settings.ADMINS = [("Exploitation", "exploitation@example.org")]
    request = RequestFactory().get("/espace/")
    logging.getLogger("django.request").error(
        "Internal Server Error: /espace/",
        exc_info=(ValueError, ValueError("panne"), None),
        extra={"status_code": 500, "request": request},
    )
    [message] = mailoutbox
    assert message.to == ["exploitation@example.org"]
    assert "Internal Server Error: /espace/" in message.subject
    assert "ValueError" in message.body


class _Intake(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"] or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # sentry-sdk compresses with it when it is installed

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_with_a_dsn_errors_are_sent_to_sentry():
    intake = HTTPServer(("127.0.0.1", 0), _Intake)
    threading.Thread(target=intake.serve_forever, daemon=True).start()
    script = (
        "import django, sentry_sdk\n"
        "django.setup()\n"
        "try:\n"
        "    raise RuntimeError('panne de test')\n"
        "except RuntimeError as error:\n"
        "    sentry_sdk.capture_exception(error)\n"
        "sentry_sdk.flush(5)\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ruche.settings.test",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{intake.server_port}/42",
        "SENTRY_ENVIRONMENT": "recette",
    }
    try:
        subprocess.run(  # noqa: S603 (our own script)
            [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60
        )
    finally:
        intake.shutdown()
    envelope = b"".join(_Intake.received)
    assert b"panne de test" in envelope
    assert b'"environment":"recette"' in envelope
