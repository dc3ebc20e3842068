"""Requests for information (demandes de compléments), end to end: staff ask, the applicant
answers in versions with files checked by content, sends, and the application goes back."""

from datetime import timedelta
from html import escape, unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.roles import PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.information import ask, save_answer, send_answer
from evaluation.models import (
    InformationAnswer,
    InformationAnswerFile,
    InformationRequest,
    TransitionLog,
)
from evaluation.services import fire, submit_application
from evaluation.workflow import TransitionRefused
from grants.models import Application

from ..factories import make_call
from ..grants_factories import UserFactory, add_member, complete_application, minimal_pdf

QUESTION = "Joignez le plan d'assurance sécurité (PAS) signé et précisez l'hébergeur HDS."


@pytest.fixture
def staff(db):
    user = UserFactory(first_name="Claire", last_name="Instructrice")
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


@pytest.fixture
def in_security_review(calls_index, staff):
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("security",),
    )
    application = complete_application(call)
    application = submit_application(application, application.created_by)
    application = fire(application, "start_eligibility_check", staff)
    return fire(application, "start_security_review", staff, comment="Éligible")


@pytest.fixture
def asked(in_security_review, staff):
    return ask(in_security_review, staff, QUESTION)


def answer_url(info):
    return reverse("evaluation:information_answer", args=[info.application_id, info.pk])


def pdf(name="pas-signe.pdf"):
    return SimpleUploadedFile(name, minimal_pdf("Plan d'assurance sécurité"), "application/pdf")


@pytest.fixture(autouse=True)
def answer_storage(monkeypatch, tmp_path):
    """Answers' files in this test's own folder. The field's storage is built when models load,
    so overriding PRIVATE_STORAGE_ROOT alone would not reach it."""
    storage = FileSystemStorage(location=tmp_path / "answers", base_url=None)
    monkeypatch.setattr(InformationAnswerFile._meta.get_field("file"), "storage", storage)
    return Path(storage.location)


def stored_files(root: Path) -> set:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


@pytest.mark.django_db
def test_staff_asks_and_the_applicant_is_emailed_in_french_with_the_link(
    client, in_security_review, staff, mailoutbox, django_capture_on_commit_callbacks
):
    application = in_security_review
    applicant = application.created_by
    departed = add_member(application.organisation, UserFactory(is_active=False))
    due = timezone.localdate() + timedelta(days=10)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluation:information_ask", args=[application.pk]),
            {"question": QUESTION, "due_on": due.isoformat(), "expected_status": "security_review"},
        )
    assert response.status_code == 302
    assert response.url == reverse("evaluation:application", args=[application.pk])

    application = Application.objects.get(pk=application.pk)
    assert application.status == S.INFO_REQUESTED
    assert application.information_requested_from == S.SECURITY_REVIEW
    info = InformationRequest.objects.get(application=application)
    assert (info.stage, info.question, info.asked_by, info.due_on) == (
        S.SECURITY_REVIEW,
        QUESTION,
        staff,
        due,
    )
    assert info.answered_at is None
    # The question is in the applicant's history, as the transition's comment.
    assert application.transition_logs.latest("pk").comment == QUESTION

    (message,) = mails_to(mailoutbox, applicant.email)
    assert not mails_to(mailoutbox, departed.email)  # a deactivated account is not written to
    assert message.subject == f"[Ruche] Demande de compléments — {application.reference}"
    assert message.body.startswith("Bonjour,")
    assert "a besoin de compléments" in message.body
    assert QUESTION in message.body
    assert "Merci de répondre au plus tard le" in message.body
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/espace/candidatures/{application.pk}/"
    assert link in message.body

    # The application page leads the applicant to the answer.
    client.force_login(applicant)
    page = client.get(reverse("evaluation:followup", args=[application.pk])).content.decode()
    assert "Demandes de compléments" in page
    assert answer_url(info) in page


@pytest.mark.django_db
def test_an_outsider_gets_404_on_the_answer_page_and_its_files(client, asked, staff):
    member = asked.application.created_by
    answer = save_answer(asked, member, "Voici le PAS.", [pdf()])
    stored = answer.files.get()
    file_url = reverse(
        "evaluation:information_answer_file", args=[asked.application_id, asked.pk, stored.pk]
    )
    client.force_login(UserFactory())
    assert client.get(answer_url(asked)).status_code == 404
    assert client.post(answer_url(asked), {"text": "Pirate", "version": 1}).status_code == 404
    assert client.get(file_url).status_code == 404
    assert InformationAnswer.objects.count() == 1
    # Members download their files; staff use the back office, an applicant cannot.
    client.force_login(member)
    assert client.get(file_url).status_code == 200
    staff_file_url = reverse("evaluation:information_file", args=[asked.pk, stored.pk])
    assert client.get(staff_file_url).status_code == 403
    staff_page_url = reverse("evaluation:information_request", args=[asked.pk])
    assert client.get(staff_page_url).status_code == 403
    client.force_login(staff)
    response = client.get(staff_file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="pas-signe.pdf"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_applicant_saves_twice_and_both_versions_are_kept(client, asked, staff, answer_storage):
    member = asked.application.created_by
    colleague = add_member(asked.application.organisation, role="member")
    client.force_login(member)
    page = client.get(answer_url(asked))
    assert page.status_code == 200
    assert escape(QUESTION) in page.content.decode()

    response = client.post(
        answer_url(asked),
        {"text": "Le PAS est en cours de signature.", "version": 0, "files": [pdf()]},
    )
    assert response.status_code == 302
    assert "version 1" in messages_of(response)
    first = InformationAnswer.objects.get(request=asked)
    kept_id = first.files.get().pk

    client.force_login(colleague)
    response = client.post(
        answer_url(asked),
        {"text": "PAS signé joint ; hébergeur : OVHcloud (HDS).", "version": 1, "keep": [kept_id]},
    )
    assert response.status_code == 302

    versions = list(InformationAnswer.objects.filter(request=asked).order_by("version"))
    assert [(v.version, v.text, v.answered_by) for v in versions] == [
        (1, "Le PAS est en cours de signature.", member),
        (2, "PAS signé joint ; hébergeur : OVHcloud (HDS).", colleague),
    ]
    # Each version holds its files; the kept file is the same stored file, not a copy.
    assert [f.original_name for f in versions[1].files.all()] == ["pas-signe.pdf"]
    assert versions[1].files.get().file.name == versions[0].files.get().file.name
    assert len(stored_files(answer_storage)) == 1
    # Saved, not sent: the application still waits for the answer.
    assert Application.objects.get(pk=asked.application_id).status == S.INFO_REQUESTED
    assert InformationRequest.objects.get(pk=asked.pk).answered_at is None

    # A stale page (made before version 2) does not overwrite it.
    client.post(answer_url(asked), {"text": "Vieille page", "version": 1})
    assert InformationAnswer.objects.filter(request=asked).count() == 2

    client.force_login(staff)
    page = client.get(reverse("evaluation:information_request", args=[asked.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Le PAS est en cours de signature." in content
    assert "hébergeur : OVHcloud (HDS)." in content
    assert "pas encore envoyé sa réponse" in content


@pytest.mark.django_db
def test_a_renamed_executable_is_refused_and_nothing_is_stored(client, asked, answer_storage):
    client.force_login(asked.application.created_by)
    executable = SimpleUploadedFile(
        "pas-signe.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
    response = client.post(
        answer_url(asked), {"text": "Voici le PAS.", "version": 0, "files": [executable]}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "La réponse n'a pas été enregistrée" in content
    assert "« pas-signe.pdf » : Le contenu de ce fichier ne correspond" in content
    assert 'aria-invalid="true"' in content
    assert InformationAnswer.objects.count() == 0
    assert InformationAnswerFile.objects.count() == 0
    assert stored_files(answer_storage) == set()

    # The service checks by content too, whoever calls it.
    executable.seek(0)
    with pytest.raises(Exception, match="ne correspond"):
        save_answer(asked, asked.application.created_by, "Voici", [executable])
    assert InformationAnswer.objects.count() == 0
    assert stored_files(answer_storage) == set()


@pytest.mark.django_db
def test_sending_returns_to_the_stage_that_asked_and_emails_the_asker(
    client, asked, staff, mailoutbox, django_capture_on_commit_callbacks
):
    member = asked.application.created_by
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(asked),
            {"text": "PAS signé joint.", "version": 0, "files": [pdf()], "send": "1"},
        )
    assert response.status_code == 302
    assert response.url == reverse("evaluation:followup", args=[asked.application_id])

    application = Application.objects.get(pk=asked.application_id)
    assert application.status == S.SECURITY_REVIEW
    assert application.information_requested_from == ""
    info = InformationRequest.objects.get(pk=asked.pk)
    assert info.answered_at is not None
    assert info.answers.count() == 1

    (message,) = mails_to(mailoutbox, staff.email)
    assert message.subject == f"[Ruche] Réponse du candidat — {application.reference}"
    assert message.body.startswith("Bonjour,")
    assert "Le candidat a répondu à votre demande de compléments" in message.body
    assert "version 1, 1 fichier joint" in message.body
    assert "« Expertise sécurité »" in message.body
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/gestion/complements/demandes/{info.pk}/"
    assert link in message.body

    # After sending, the answer cannot be edited any more.
    response = client.post(answer_url(asked), {"text": "Correction", "version": 1})
    assert response.status_code == 302
    assert "ne peut plus être modifiée" in messages_of(response)
    assert info.answers.count() == 1
    page = client.get(answer_url(asked)).content.decode()
    assert "Envoyer ma réponse" not in page
    assert "Votre réponse a été envoyée le" in page
    with pytest.raises(TransitionRefused):
        save_answer(info, member, "Correction", [])
    with pytest.raises(TransitionRefused):
        send_answer(info, member)


@pytest.mark.django_db
def test_an_empty_answer_cannot_be_sent(client, asked):
    client.force_login(asked.application.created_by)
    response = client.post(answer_url(asked), {"text": "  ", "version": 0, "send": "1"})
    assert response.status_code == 200
    assert "Écrivez une réponse ou joignez au moins un fichier." in response.content.decode()
    assert Application.objects.get(pk=asked.application_id).status == S.INFO_REQUESTED
    with pytest.raises(TransitionRefused, match="Enregistrez d'abord une réponse"):
        send_answer(asked, asked.application.created_by)


@pytest.mark.django_db
def test_non_staff_cannot_ask(client, in_security_review, mailoutbox):
    url = reverse("evaluation:information_ask", args=[in_security_review.pk])
    for user in (in_security_review.created_by, UserFactory()):
        client.force_login(user)
        assert client.post(url, {"question": QUESTION}).status_code == 403
    client.logout()
    response = client.post(url, {"question": QUESTION})
    assert response.status_code == 302 and "/compte/" in response["Location"]
    assert Application.objects.get(pk=in_security_review.pk).status == S.SECURITY_REVIEW
    assert not InformationRequest.objects.exists()
    with pytest.raises(TransitionRefused):
        ask(in_security_review, in_security_review.created_by, QUESTION)
    assert not InformationRequest.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_asking_without_a_question_is_refused_in_french_and_changes_nothing(
    client, in_security_review, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = reverse("evaluation:information_ask", args=[in_security_review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"question": "   ", "expected_status": "security_review"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Écrivez la question posée au candidat." in content
    assert "La demande n'a pas été envoyée" in content
    application = Application.objects.get(pk=in_security_review.pk)
    assert application.status == S.SECURITY_REVIEW
    assert application.information_requested_from == ""
    assert not InformationRequest.objects.exists()
    assert application.transition_logs.count() == 3  # submitted, eligibility, security
    assert mailoutbox == []
    with pytest.raises(TransitionRefused, match="Écrivez la question"):
        ask(application, staff, "")


@pytest.mark.django_db
def test_a_stale_page_asks_nothing(client, in_security_review, staff):
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:information_ask", args=[in_security_review.pk]),
        {"question": QUESTION, "expected_status": "eligibility"},
    )
    assert response.status_code == 302
    assert "modifié par quelqu'un d'autre" in messages_of(response)
    assert Application.objects.get(pk=in_security_review.pk).status == S.SECURITY_REVIEW
    assert not InformationRequest.objects.exists()


@pytest.mark.django_db
def test_an_overdue_answer_is_refused_until_staff_extend_the_due_date(client, asked, staff):
    member = asked.application.created_by
    InformationRequest.objects.filter(pk=asked.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    asked.refresh_from_db()
    save_answer(asked, member, "Voici le PAS signé.", [])
    with pytest.raises(TransitionRefused, match="demandez au chargé de mission"):
        send_answer(asked, member)
    asked.refresh_from_db()
    assert asked.answered_at is None and asked.latest_answer().text == "Voici le PAS signé."

    page = reverse("evaluation:information_request", args=[asked.pk])
    client.force_login(staff)
    until = timezone.localdate() + timedelta(days=7)
    refused = client.post(page, {"until": until.isoformat(), "reason": "  "})
    assert refused.status_code == 200
    assert "Le motif de la prolongation est obligatoire." in unescape(refused.content.decode())
    asked.refresh_from_db()
    assert asked.due_on < timezone.localdate()

    response = client.post(
        page, {"until": until.isoformat(), "reason": "Attestation de l'hébergeur en retard."}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.due_on == until
    entry = TransitionLog.objects.filter(
        application=asked.application, transition=TransitionLog.DEADLINE_EXTENSION
    ).get()
    assert "Attestation de l'hébergeur en retard." in entry.comment and entry.actor == staff

    application = send_answer(asked, member)
    assert application.status == "security_review"
