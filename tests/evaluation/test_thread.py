"""The message thread of an application, at the HTTP level: the applicant organisation and
the staff who run the call write to each other, with files checked by content; the other
side is emailed a link (never the text), the unread counts move, every message is an entry
of the audit trail; nobody else reads or writes it."""

from __future__ import annotations

import html
import io
import json
import os
import zipfile
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.models import Operator
from core.roles import COMMITTEE_GROUP, PROGRAMME_STAFF_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import ReviewAssignment, ReviewerProfile
from evaluation import audit
from evaluation.models import (
    CommitteeSession,
    ConflictDeclaration,
    NotificationPreference,
    TransitionLog,
)
from evaluation.retention import purge_closed_applications
from evaluation.services import fire, submit_application, withdraw_application
from evaluation.thread import Side, post_message
from grants.models import Application, Message, MessageFile, Notification
from grants.services.personal_data import close_account

from ..factories import make_call
from ..grants_factories import (
    OrganisationFactory,
    UserFactory,
    add_member,
    complete_application,
    minimal_pdf,
)

pytestmark = pytest.mark.django_db

QUESTION = "Notre hébergeur de données de santé a changé : voici sa nouvelle attestation."
REPLY = "Merci, l'attestation de l'hébergeur est bien reçue et versée au dossier."


def officer(operator, first_name, last_name):
    user = UserFactory(first_name=first_name, last_name=last_name)
    user.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    operator.staff.add(user)
    return user


def pdf(name="attestation.pdf", text="Attestation HDS"):
    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


@pytest.fixture
def world(calls_index):
    """One application of CardioLien (Alice owns it, Bob is a member) to a call of one
    operator, led by Claire; her colleague Paul runs the operator's calls too. Another
    operator's officer, another organisation's applicant."""
    now = timezone.now()
    operator = Operator.objects.create(name="Opérateur des messages", acronym="OPM")
    other_operator = Operator.objects.create(name="Autre opérateur des messages")
    call = make_call(
        calls_index,
        operator=operator,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics",),
    )
    organisation = OrganisationFactory(legal_name="CardioLien SAS")
    alice = add_member(organisation, UserFactory(first_name="Alice", last_name="Durand"))
    bob = add_member(organisation, UserFactory(first_name="Bob", last_name="Lemoine"), "member")
    application = submit_application(complete_application(call, organisation, alice), alice)
    claire = officer(operator, "Claire", "Instructrice")
    paul = officer(operator, "Paul", "Collègue")
    Application.objects.filter(pk=application.pk).update(lead_officer=claire)
    application.refresh_from_db()
    stranger_org = OrganisationFactory(legal_name="Autre SAS")
    mail.outbox.clear()
    return {
        "application": application,
        "call": call,
        "alice": alice,
        "bob": bob,
        "claire": claire,
        "paul": paul,
        "other_officer": officer(other_operator, "Oscar", "Ailleurs"),
        "stranger": add_member(stranger_org, UserFactory(first_name="Eve")),
    }


def applicant_post(application):
    return reverse("evaluation:message_post", args=[application.pk])


def staff_post(application):
    return reverse("evaluation:staff_message_post", args=[application.pk])


def staff_page(application):
    return reverse("evaluation:application", args=[application.pk])


def followup(application):
    return reverse("evaluation:followup", args=[application.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_member_writes_with_a_file_and_the_lead_officer_is_told_without_the_text(
    client, world, django_capture_on_commit_callbacks
):
    application, bob, claire = world["application"], world["bob"], world["claire"]
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
    client.force_login(world["paul"])
    assert "1 message non lu" in text(client.get(reverse("evaluation:queues")))


def test_a_staff_reply_reaches_the_members_as_the_programme_team(
    client, world, django_capture_on_commit_callbacks
):
    application, alice, bob, claire = (world[k] for k in ("application", "alice", "bob", "claire"))
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
def outsiders(world):
    """A reviewer assigned to the application and a committee member sitting on a session
    that holds it: they read the file through their own pages, not the thread."""
    application = world["application"]
    reviewer = UserFactory(first_name="Rita")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=reviewer, tracks=["ethics"])
    ReviewAssignment.objects.create(
        application=application,
        track="ethics",
        reviewer=reviewer,
        assigned_by=world["claire"],
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


def test_nobody_else_reads_or_writes_the_thread(client, world, outsiders):
    application = world["application"]
    message = post_message(application, world["bob"], Side.APPLICANT, QUESTION, [pdf()])
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
    people = {**world, **outsiders}
    for who, answers in expected.items():
        client.force_login(people[who])
        for url, status in answers.items():
            if url.endswith("/messages/"):
                response = client.post(url, {"message-text": "Intrusion"})
            else:
                response = client.get(url)
            assert response.status_code == status, (who, url)
        assert client.get(download).status_code == 404, who
        if who != "stranger":
            assert QUESTION not in text(client.get(reverse("evaluation:queues")))
    assert list(Message.objects.values_list("body", flat=True)) == [QUESTION]
    assert not TransitionLog.objects.filter(comment_digest=audit.comment_digest("Intrusion"))


def test_a_file_whose_content_is_not_what_it_claims_is_refused_and_the_text_kept(client, world):
    application = world["application"]
    client.force_login(world["alice"])
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


def test_an_empty_message_is_refused(client, world):
    application = world["application"]
    client.force_login(world["claire"])
    response = client.post(staff_post(application), {"message-text": "   "})
    assert response.status_code == 400
    assert "Écrivez votre message avant de l'envoyer." in text(response)
    assert not Message.objects.exists()


def test_drafts_have_no_thread(client, world):
    draft = complete_application(world["call"])
    owner = draft.created_by
    client.force_login(owner)
    response = client.post(applicant_post(draft), {"message-text": QUESTION})
    assert response["Location"] == reverse("grants:review", args=[draft.pk])
    assert not Message.objects.exists()


def test_the_thread_stays_open_after_withdrawal_until_the_retention_purge(
    client, world, django_capture_on_commit_callbacks
):
    application, alice, claire = world["application"], world["alice"], world["claire"]
    withdraw_application(application, alice, "")
    client.force_login(alice)
    client.post(applicant_post(application), {"message-text": QUESTION, "message-files": [pdf()]})
    client.force_login(claire)
    client.post(staff_post(application), {"message-text": REPLY})
    assert Message.objects.count() == 2
    stored = MessageFile.objects.get()
    path = stored.file.path

    # Past the operator's period (5 years by default) after the withdrawal, not the messages.
    later = timezone.now() + relativedelta(years=5, days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_closed_applications(now=later).count == 1

    rows = []
    with connection.cursor() as cursor:
        for table in ("grants_message", "grants_messagefile", "evaluation_transitionlog"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows += [" | ".join(str(v) for v in row) for row in cursor.fetchall()]
    everything = "\n".join(rows)
    assert QUESTION not in everything and REPLY not in everything
    assert "attestation.pdf" not in everything
    assert not MessageFile.objects.exists()
    assert not os.path.exists(path)
    assert audit.verify().ok
    # The thread is closed; the page says the messages were erased.
    client.force_login(alice)
    page = text(client.get(followup(application)))
    assert "Message effacé" in page and "Les échanges de ce dossier sont clos." in page
    client.post(applicant_post(application), {"message-text": "Encore une question"})
    assert not Message.objects.exclude(body="").exists()


def test_the_export_holds_the_persons_messages_only(client, world):
    application, alice, bob = world["application"], world["alice"], world["bob"]
    post_message(application, alice, Side.APPLICANT, QUESTION, [pdf("hds-alice.pdf")])
    post_message(application, bob, Side.APPLICANT, "Message de Bob, pas d'Alice", [pdf("bob.pdf")])
    post_message(application, world["claire"], Side.STAFF, REPLY)
    client.force_login(alice)
    response = client.get(reverse("grants:personal_data_zip"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("donnees.json"))

    (mine,) = data["thread_messages"]
    assert mine["text"] == QUESTION and mine["application"] == application.pk
    (path,) = mine["files"]
    assert path.endswith("hds-alice.pdf")
    assert archive.read(path) == minimal_pdf("Attestation HDS")
    everything = archive.read("donnees.json").decode() + " ".join(archive.namelist())
    assert "Bob" not in everything and "bob.pdf" not in everything and REPLY not in everything


def test_a_closed_account_is_no_longer_named_in_the_thread(client, world):
    application, bob = world["application"], world["bob"]
    post_message(application, bob, Side.APPLICANT, QUESTION)
    close_account(bob)
    client.force_login(world["claire"])
    page = text(client.get(staff_page(application)))
    assert QUESTION in page  # the organisation's record stays
    assert "Bob" not in page and "Lemoine" not in page and "Compte fermé" in page


@pytest.mark.parametrize("side", ["staff", "applicant"])
def test_the_thread_page_costs_the_same_with_3_or_30_messages(client, world, side):
    application, alice, claire = world["application"], world["alice"], world["claire"]
    reader, url = (claire, staff_page(application)) if side == "staff" else (alice, None)
    url = url or followup(application)
    client.force_login(reader)

    def write(count):
        for n in range(count):
            author, who = (alice, Side.APPLICANT) if n % 2 else (claire, Side.STAFF)
            post_message(application, author, who, f"Message {n}", [pdf(f"piece-{n}.pdf")])

    def queries():
        client.get(url)  # warm caches and read marks
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    write(3)
    few = queries()
    write(27)
    assert Message.objects.count() == 30
    assert queries() == few


def test_a_message_does_not_reset_the_days_in_state(client, world):
    application = world["application"]
    TransitionLog.objects.filter(application=application).update(
        at=timezone.now() - timedelta(days=40)
    )
    post_message(application, world["alice"], Side.APPLICANT, QUESTION)
    client.force_login(world["claire"])
    queue = client.get(reverse("evaluation:queues"), {"non_lus": "on"})
    assert application.reference in text(queue)
    assert "En retard" in text(queue)
    fire(application, "start_eligibility_check", world["claire"])
    assert application.reference not in text(client.get(reverse("evaluation:queues")))


def test_the_demo_shows_a_thread_on_each_side_and_loads_once(client, calls_index):
    for _ in range(2):  # idempotent
        call_command("load_demo", applicant_password="demo-2026", verbosity=0)
    domicare = Application.objects.get(project_title="Domicare")
    assert domicare.messages.count() == 1 and domicare.messages.get().files.count() == 1
    assert Message.objects.filter(side=Side.STAFF).count() == 1
    client.force_login(get_user_model().objects.get(email="instructeur@ruche.local"))
    queue = client.get(reverse("evaluation:queues"), {"etat": domicare.status, "non_lus": "on"})
    assert domicare.reference in text(queue) and "1 message non lu" in text(queue)
    client.force_login(get_user_model().objects.get(email="candidat@ruche.local"))
    assert "1 message non lu" in text(client.get(reverse("grants:dashboard")))
