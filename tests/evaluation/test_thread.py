"""The message thread of an application, at the HTTP level: the applicant organisation and
the staff who run the call write to each other, with files checked by content; the other
side is emailed a link (never the text), the unread counts move, every message is an entry
of the audit trail; nobody else reads or writes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import ReviewAssignment, ReviewerProfile
from evaluation import audit
from evaluation.models import (
    CommitteeSession,
    ConflictDeclaration,
    NotificationPreference,
    TransitionLog,
)
from evaluation.services import fire
from evaluation.thread import Side, post_message
from evaluation.thread_emails import staff_to_tell
from grants.models import Application, Message, MessageFile, Notification

from ..grants_factories import (
    UserFactory,
    complete_application,
    minimal_pdf,
)
from .thread_helpers import (
    QUESTION,
    REPLY,
    applicant_post,
    followup,
    pdf,
    staff_page,
    staff_post,
    text,
)

pytestmark = pytest.mark.django_db


def test_a_member_writes_with_a_file_and_the_lead_officer_is_told_without_the_text(
    client, thread_world, django_capture_on_commit_callbacks
):
    application, bob, claire = (
        thread_world["application"],
        thread_world["bob"],
        thread_world["claire"],
    )
    client.force_login(bob)  # a member, not the owner: members write too
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            applicant_post(application), {"message-text": QUESTION, "message-files": [pdf()]}
        )
    assert response.status_code == 302
    assert response["Location"] == followup(application) + "#messages"

    message = Message.objects.get()
    assert (message.author, message.side, message.body) == (bob, Side.APPLICANT, QUESTION)
    stored = message.files.get()
    assert stored.original_name == "attestation.pdf" and stored.content_type == "application/pdf"
    # The state is unchanged; the audit trail chains the text's digest, never the text.
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    entry = TransitionLog.objects.get(application=application, transition=TransitionLog.MESSAGE)
    assert entry.actor == bob and entry.comment == ""
    assert entry.comment_digest == audit.comment_digest(QUESTION)
    assert audit.verify().ok

    # Only the lead officer is emailed, with a link and not a word of the message.
    (email,) = mail.outbox
    assert email.to == [claire.email]
    assert QUESTION not in email.body and "attestation.pdf" not in email.body
    assert f"/gestion/dossiers/{application.pk}/?onglet=messages" in email.body
    assert Notification.objects.get(user=claire).link.endswith("?onglet=messages")

    # The call's staff see it in the queue, then on the application's page.
    client.force_login(claire)
    queue = text(client.get(reverse("evaluation:queues")))
    assert "1 message non lu" in queue
    page = text(client.get(staff_page(application)))
    assert QUESTION in page and "Bob Lemoine" in page and "attestation.pdf" in page
    assert "Message (voir l'onglet « Messages »)" in page  # in the history tab
    assert "1 message non lu" not in text(client.get(reverse("evaluation:queues")))
    download = client.get(reverse("evaluation:message_file", args=[application.pk, stored.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == minimal_pdf("Attestation HDS")
    # Paul, who also runs the call, was not emailed but has it unread in his queue.
    client.force_login(thread_world["paul"])
    assert "1 message non lu" in text(client.get(reverse("evaluation:queues")))


def test_a_staff_reply_reaches_the_members_as_the_programme_team(
    client, thread_world, django_capture_on_commit_callbacks
):
    application, alice, bob, claire = (
        thread_world[k] for k in ("application", "alice", "bob", "claire")
    )
    post_message(application, bob, Side.APPLICANT, QUESTION)
    NotificationPreference.objects.create(user=bob, new_messages=False)
    mail.outbox.clear()
    client.force_login(alice)
    assert "1 message non lu" in text(client.get(reverse("grants:dashboard")))
    client.get(followup(application))  # Alice reads Bob's message
    assert "message non lu" not in text(client.get(reverse("grants:dashboard")))

    client.force_login(claire)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(staff_post(application), {"message-text": REPLY})
    assert response["Location"] == staff_page(application) + "?onglet=messages#messages"

    # Alice is told (Bob turned these emails off); the email holds a link, not the reply.
    (email,) = mail.outbox
    assert email.to == [alice.email]
    assert REPLY not in email.body and f"/espace/candidatures/{application.pk}/" in email.body
    client.force_login(alice)
    dashboard = text(client.get(reverse("grants:dashboard")))
    assert "1 message non lu" in dashboard and "Lisez le nouveau message" in dashboard
    page = text(client.get(followup(application)))
    assert REPLY in page
    assert "Équipe du programme — OPM" in page and "Claire" not in page
    assert "message non lu" not in text(client.get(reverse("grants:dashboard")))
    # Bob's own count is his: he has not read the reply yet.
    client.force_login(bob)
    assert "1 message non lu" in text(client.get(reverse("grants:dashboard")))


@pytest.fixture
def outsiders(thread_world):
    """A reviewer assigned to the application and a committee member sitting on a session
    that holds it: they read the file through their own pages, not the thread."""
    application = thread_world["application"]
    reviewer = UserFactory(first_name="Rita")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=reviewer, tracks=["ethics"])
    ReviewAssignment.objects.create(
        application=application,
        track="ethics",
        reviewer=reviewer,
        assigned_by=thread_world["claire"],
        conflict=ReviewAssignment.Conflict.NONE,
    )
    member = UserFactory(first_name="Cole")
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    session = CommitteeSession.objects.create(
        call=application.call, title="Comité", held_on=timezone.localdate()
    )
    session.members.add(member)
    ConflictDeclaration.objects.create(
        session=session, application=application, member=member, conflicted=False
    )
    return {"reviewer": reviewer, "committee": member}


def test_nobody_else_reads_or_writes_the_thread(client, thread_world, outsiders):
    application = thread_world["application"]
    message = post_message(application, thread_world["bob"], Side.APPLICANT, QUESTION, [pdf()])
    stored = message.files.get()
    download = reverse("evaluation:message_file", args=[application.pk, stored.pk])
    expected = {
        # Staff of another operator: the application does not exist for them.
        "other_officer": {staff_page(application): 404, staff_post(application): 404},
        # Another organisation's applicant.
        "stranger": {followup(application): 404, applicant_post(application): 404},
        # Reviewers and committee members: not staff pages, not the applicant's space.
        "reviewer": {staff_post(application): 403, applicant_post(application): 404},
        "committee": {staff_post(application): 403, applicant_post(application): 404},
    }
    people = {**thread_world, **outsiders}
    for who, answers in expected.items():
        client.force_login(people[who])
        for url, status in answers.items():
            if url.endswith("/messages/"):
                response = client.post(url, {"message-text": "Intrusion"})
            else:
                response = client.get(url)
            assert response.status_code == status, (who, url)
        assert client.get(download).status_code == 404, who
        queue = client.get(reverse("evaluation:queues"))
        if who == "other_officer":  # their queue opens, without this application
            assert queue.status_code == 200 and application.reference not in text(queue)
        else:
            assert queue.status_code == 403, who
    assert list(Message.objects.values_list("body", flat=True)) == [QUESTION]
    assert not TransitionLog.objects.filter(comment_digest=audit.comment_digest("Intrusion"))


def test_a_file_whose_content_is_not_what_it_claims_is_refused_and_the_text_kept(
    client, thread_world
):
    application = thread_world["application"]
    client.force_login(thread_world["alice"])
    executable = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(
        applicant_post(application), {"message-text": QUESTION, "message-files": [executable]}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Le message n'a pas été envoyé" in page
    assert "« budget.pdf » : Le contenu de ce fichier ne correspond à aucun des formats" in page
    assert QUESTION in page  # the typed text, in the form again
    assert "Taille maximale : 10 Mo par fichier" in page
    assert not Message.objects.exists() and not MessageFile.objects.exists()
    assert not TransitionLog.objects.filter(transition=TransitionLog.MESSAGE).exists()


def test_an_empty_message_is_refused(client, thread_world):
    application = thread_world["application"]
    client.force_login(thread_world["claire"])
    response = client.post(staff_post(application), {"message-text": "   "})
    assert response.status_code == 400
    assert "Écrivez votre message avant de l'envoyer." in text(response)
    assert not Message.objects.exists()


def test_drafts_have_no_thread(client, thread_world):
    draft = complete_application(thread_world["call"])
    owner = draft.created_by
    client.force_login(owner)
    response = client.post(applicant_post(draft), {"message-text": QUESTION})
    assert response["Location"] == reverse("grants:review", args=[draft.pk])
    assert not Message.objects.exists()


def test_without_a_lead_officer_the_calls_officers_then_the_last_mover_are_told(thread_world):
    application, claire, paul = (
        thread_world["application"],
        thread_world["claire"],
        thread_world["paul"],
    )
    Application.objects.filter(pk=application.pk).update(lead_officer=None)
    application.refresh_from_db()
    # Nobody assigned, nobody moved it yet: no email (the queues show the unread count).
    assert list(staff_to_tell(application)) == []
    application = fire(application, "start_eligibility_check", paul)
    assert list(staff_to_tell(application)) == [paul]
    call = thread_world["call"]
    call.officers.add(claire)
    call.save()  # a parental many-to-many is written with its page
    assert list(staff_to_tell(application)) == [claire]
