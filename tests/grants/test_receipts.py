"""The submission receipt: a PDF from the frozen copy, emailed once, verifiable later."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from weasyprint import HTML

from evaluation.services import submit_application
from grants.emails import send_submission_receipt
from grants.models import Application, Organisation
from grants.receipts import paris_datetime, receipt_html, render_receipt

from ..factories import make_call, paris
from ..grants_factories import UserFactory, add_member, complete_application, pdf_is_tagged

# 13:03:12 UTC on a winter day: the receipt must say 14:03:12, Paris time.
SUBMITTED_AT = paris(2026, 11, 25, 14, 3, 12)
PARIS_TIME = "25 novembre 2026 à 14:03:12 (heure de Paris)"


@pytest.fixture
def open_call(calls_index):
    return make_call(
        calls_index,
        title="Télésurveillance 2026",
        opens_at=paris(2026, 10, 1, 9),
        cutoffs=[paris(2026, 12, 15, 12)],
    )


@pytest.fixture
def submitted(open_call, django_capture_on_commit_callbacks) -> Application:
    application = complete_application(open_call)
    # The receipt task is enqueued on commit; the test transaction never commits.
    with django_capture_on_commit_callbacks(execute=True):
        return submit_application(application, application.created_by, now=SUBMITTED_AT)


@pytest.mark.django_db
def test_submission_emails_one_french_receipt_with_the_pdf(
    open_call, mailoutbox, django_capture_on_commit_callbacks
):
    application = complete_application(open_call)
    submitter = application.created_by
    colleague = add_member(application.organisation, role="member")
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_application(application, submitter, now=SUBMITTED_AT)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    reference = submitted.reference
    assert email.subject == f"[Ruche] Récépissé de dépôt — {reference}"
    assert email.to == [submitter.email]
    assert email.cc == [colleague.email]
    assert "a bien été déposé" in email.body
    assert "TeleCardio" in email.body
    assert "Télésurveillance 2026" in email.body
    assert PARIS_TIME in email.body
    assert reference in email.body
    assert submitted.fingerprint in email.body
    assert "http://localhost:8000/espace/" in email.body
    [(name, content, mimetype)] = email.attachments
    assert name == f"recepisse-{reference}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-") and pdf_is_tagged(content)


@pytest.mark.django_db
def test_receipt_shows_the_frozen_submission(submitted):
    html = receipt_html(submitted)
    snapshot = submitted.snapshot
    assert "Récépissé de dépôt" in html
    assert submitted.reference in html
    assert "Télésurveillance 2026" in html
    assert snapshot["organisation"]["legal_name"] in html
    assert snapshot["organisation"]["siren"] in html
    assert snapshot["organisation"]["siret"] in html
    assert "TeleCardio" in html
    assert ">TC<" in html  # acronym
    assert "250\u00a0000,00\u00a0€" in html
    assert PARIS_TIME in html
    for attachment in snapshot["attachments"]:
        assert attachment["name"] in html
        assert attachment["sha256"] in html
        assert f"{attachment['size']}\u00a0octets" in html  # filesizeformat, < 1 Kio
    assert submitted.fingerprint in html
    assert len(submitted.fingerprint) == 64
    assert "permet à quiconque de vérifier ultérieurement" in html


@pytest.mark.django_db
def test_receipt_is_a_real_pdf(submitted):
    pdf = render_receipt(submitted)
    assert pdf.startswith(b"%PDF-")
    assert len(HTML(string=receipt_html(submitted)).render().pages) >= 1


@pytest.mark.django_db
def test_receipt_keeps_the_frozen_data_after_live_changes(submitted):
    answers = {**submitted.answers, "projet": {**submitted.answers["projet"], "title": "Autre"}}
    Application.objects.filter(pk=submitted.pk).update(answers=answers, project_title="Autre")
    Organisation.objects.filter(pk=submitted.organisation_id).update(legal_name="Renommée SAS")
    submitted.refresh_from_db()

    html = receipt_html(submitted)
    assert "TeleCardio" in html
    assert "Autre" not in html
    assert "Renommée SAS" not in html
    assert submitted.snapshot["organisation"]["legal_name"] in html


@pytest.mark.django_db
def test_receipt_states_paris_time_whatever_the_active_time_zone():
    with translation.override("fr"), timezone.override("UTC"):
        assert paris_datetime("2026-07-01T10:00:00+00:00") == (
            "1 juillet 2026 à 12:00:00 (heure de Paris)"
        )
        assert paris_datetime(SUBMITTED_AT.isoformat()) == PARIS_TIME


@pytest.mark.django_db
def test_draft_has_no_receipt(open_call):
    draft = complete_application(open_call)
    with pytest.raises(ValueError):
        render_receipt(draft)


@pytest.mark.django_db
def test_receipt_task_ignores_a_vanished_application(mailoutbox, caplog):
    send_submission_receipt.call(987654)
    assert mailoutbox == []
    assert "987654" in caplog.text


@pytest.mark.django_db
def test_verify_receipt_accepts_reference_or_id(submitted, capsys):
    call_command("verify_receipt", submitted.reference)
    assert f"Empreinte vérifiée : {submitted.fingerprint}" in capsys.readouterr().out
    call_command("verify_receipt", str(submitted.pk))
    assert f"Empreinte vérifiée : {submitted.fingerprint}" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_receipt_rejects_an_unknown_reference(submitted):
    wrong_year = submitted.reference.replace(f"-{submitted.created_at:%Y}-", "-1999-")
    for reference in (wrong_year, str(submitted.pk + 1000), "n'importe quoi"):
        with pytest.raises(CommandError):
            call_command("verify_receipt", reference)


@pytest.mark.django_db
def test_verify_receipt_detects_an_overwritten_file(submitted):
    attachment = submitted.attachments.get(original_name="pitch.pdf")
    with open(attachment.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 autre contenu")
    with pytest.raises(CommandError) as failure:
        call_command("verify_receipt", submitted.reference)
    assert "pièce modifiée : pitch.pdf" in str(failure.value)
    assert "kbis.pdf" not in str(failure.value)


@pytest.mark.django_db
def test_verify_receipt_detects_an_edited_snapshot(submitted):
    edited = {**submitted.snapshot, "amount_requested": "499999.00"}
    Application.objects.filter(pk=submitted.pk).update(snapshot=edited)
    with pytest.raises(CommandError) as failure:
        call_command("verify_receipt", submitted.reference)
    assert "réponses figées ne correspondent plus" in str(failure.value)


VERIFY = reverse("grants:verify_receipt")


def test_anyone_checks_a_receipt_without_learning_the_file(client, submitted):
    """No sign-in: the pair printed on the receipt is confirmed with its date, and nothing
    else; a wrong fingerprint, a reference of another year or a draft say the same « no »."""
    page = client.get(
        VERIFY, {"reference": submitted.reference, "empreinte": submitted.fingerprint}
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert "Récépissé authentique" in content and PARIS_TIME.split(" à ")[0] in content
    assert submitted.project_title not in content
    assert submitted.organisation.legal_name not in content

    other_year = submitted.reference.replace("RUCHE-2026", "RUCHE-2025")
    for reference, fingerprint in (
        (submitted.reference, "0" * 64),
        (other_year, submitted.fingerprint),
        (submitted.reference, "pas une empreinte"),
    ):
        answer = client.get(VERIFY, {"reference": reference, "empreinte": fingerprint})
        assert "Aucun dépôt ne correspond" in answer.content.decode(), reference


def test_a_receipt_whose_stored_file_changed_is_flagged(client, submitted):
    attachment = submitted.attachments.first()
    with attachment.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 replaced")
    page = client.get(
        VERIFY, {"reference": submitted.reference, "empreinte": submitted.fingerprint}
    )
    assert "ne correspond plus à ce récépissé" in page.content.decode()


def test_the_receipt_says_where_to_check_it(submitted):
    assert "/espace/recepisse/verifier/" in receipt_html(submitted)


def test_every_email_is_kept_in_its_recipients_inbox(client, submitted):
    """The receipt went to the submitter: it waits, unread, in « Mes messages », and its
    link leads to the application; another person cannot open it."""
    submitter = submitted.created_by
    client.force_login(submitter)
    assert "non lus" in client.get(reverse("grants:dashboard")).content.decode()
    inbox = client.get(reverse("grants:inbox")).content.decode()
    assert "Récépissé de dépôt" in inbox and "Non lu" in inbox
    notification = submitter.notifications.get()
    assert notification.link.endswith("/espace/")
    page = client.get(reverse("grants:inbox_message", args=[notification.pk]))
    assert submitted.reference in page.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None

    client.force_login(UserFactory())
    assert client.get(reverse("grants:inbox_message", args=[notification.pk])).status_code == 404
