"""Emails leave through the task queue to a real SMTP server (aiosmtpd, started by the tests):
the verification email, the receipt with its PDF, a retry after the server was down, and the
staff page of the emails that every retry failed to deliver."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import SEND_TASK_PATH
from core.roles import PROGRAMME_WIDE_GROUP
from evaluation.services import submit_application

from .factories import make_call, paris
from .grants_factories import complete_application
from .servers import SmtpServer, free_port

EMAIL = "sacha.durand@example.org"
PASSWORD = "Ruche-abeilles-2026"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def sign_up(client):
    return client.post(
        "/compte/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    )


def run_worker() -> None:
    """What `manage.py db_worker` does in production, until the queue holds nothing due."""
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False)


def mail_tasks():
    return DBTaskResult.objects.filter(task_path=SEND_TASK_PATH)


def link_in(message) -> str:
    (path,) = re.findall(
        rf"{re.escape(settings.WAGTAILADMIN_BASE_URL)}(/\S+)", message.get_content()
    )
    return path


@pytest.mark.django_db
def test_verification_email_reaches_the_smtp_server_and_its_link_signs_in(
    client, calls_index, smtp_server
):
    assert sign_up(client).status_code == 302

    [message] = smtp_server.wait_for(1)
    assert message["To"] == EMAIL
    assert message["Subject"] == "[Ruche] Confirmez votre adresse électronique"
    response = client.post(link_in(message))
    assert response["Location"] == "/accueil/"  # then where their work is (ruche.views.landing)
    assert client.get("/espace/").status_code == 200


@pytest.mark.django_db
def test_receipt_reaches_the_smtp_server_with_its_pdf(
    calls_index, smtp_server, django_capture_on_commit_callbacks
):
    call = make_call(calls_index, opens_at=paris(2026, 10, 1, 9), cutoffs=[paris(2026, 12, 15, 12)])
    application = complete_application(call)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_application(
            application, application.created_by, now=paris(2026, 11, 25, 14)
        )

    [receipt] = [m for m in smtp_server.wait_for(1) if "Récépissé" in m["Subject"]]
    assert submitted.reference in receipt["Subject"]
    [pdf] = list(receipt.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == f"recepisse-{submitted.reference}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")


# The worker runs as in production, committing as it goes: no test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_sign_up_while_the_mail_server_is_down_succeeds_and_the_email_follows(
    client, calls_index, settings
):
    """The server is down at sign-up: the page still answers, the worker's attempt fails and
    is retried later (backoff); once the server is back, the retry delivers the email."""
    settings.TASKS = DATABASE_QUEUE
    server = SmtpServer(port=free_port())  # nothing listens there yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = server.host, server.port, 5
    settings.RUCHE_MAIL_RETRY_SECONDS = 60

    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"

    run_worker()  # first attempt: connection refused
    [first] = mail_tasks().filter(status="SUCCESSFUL")
    assert first.return_value == "retry"
    [waiting] = mail_tasks().filter(status="READY")
    assert waiting.args_kwargs["args"][1] == 2  # the second attempt…
    delay = waiting.run_after - timezone.now()
    assert timedelta(seconds=50) < delay <= timedelta(seconds=60)  # …a minute later

    server.start()
    try:
        run_worker()
        assert server.received == []  # not due yet: nothing sent early
        mail_tasks().filter(pk=waiting.pk).update(run_after=timezone.now())  # a minute passes
        run_worker()
        [message] = server.wait_for(1)
    finally:
        server.stop()
    assert message["To"] == EMAIL
    assert mail_tasks().get(pk=waiting.pk).return_value == "sent"


@pytest.mark.django_db(transaction=True)
def test_staff_see_emails_every_retry_failed_and_send_them_again(client, calls_index, settings):
    settings.TASKS = DATABASE_QUEUE
    server = SmtpServer(port=free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = server.host, server.port, 5
    settings.RUCHE_MAIL_ATTEMPTS, settings.RUCHE_MAIL_RETRY_SECONDS = 2, 0

    sign_up(client)
    run_worker()  # two attempts, both refused: the email is left failed
    assert mail_tasks().filter(status="FAILED").count() == 1

    applicant = get_user_model().objects.create_user("applicant", "a@example.org", PASSWORD)
    client.force_login(applicant)
    assert client.get("/gestion/courriels/").status_code == 403  # staff only

    officer = get_user_model().objects.create_user("officer", "officer@ruche.local", PASSWORD)
    officer.groups.add(Group.objects.get_or_create(name=PROGRAMME_WIDE_GROUP)[0])
    client.force_login(officer)
    page = client.get("/gestion/courriels/").content.decode()
    assert EMAIL in page
    assert "ConnectionRefusedError" in page

    server.start()
    try:
        response = client.post("/gestion/courriels/renvoyer/", {"all": "1"}, follow=True)
        notice = "1 courriel est de nouveau en file d'envoi."
        assert notice in html.unescape(response.content.decode())
        run_worker()
        [message] = server.wait_for(1)
    finally:
        server.stop()
    assert message["To"] == EMAIL
    assert not mail_tasks().filter(status="FAILED").exists()
    assert "Aucun courriel en échec" in client.get("/gestion/courriels/").content.decode()
