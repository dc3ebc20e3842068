"""The emails to an applicant organisation share one frame (evaluation.organisation_mail): the
object loaded, a warning and nothing sent when it vanished or nobody has an address, French
whatever the language in force, attachments kept, a copy in each member's inbox."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from cms.models import Operator
from core.roles import PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP
from evaluation.emails import send_decision_letter, send_information_requested
from evaluation.hearing_emails import send_invitation
from evaluation.information import ask
from evaluation.models import InformationRequest, ShortlistDecision
from evaluation.organisation_mail import OrganisationEmail, email_organisation
from evaluation.services import fire, submit_application
from evaluation.shortlisting import decide
from grants.models import Notification

from ..factories import make_call
from ..grants_factories import UserFactory, add_member, complete_application, minimal_pdf

TASKS = [send_information_requested, send_invitation, send_decision_letter]


@pytest.fixture
def asked(calls_index):
    staff = UserFactory(first_name="Claire", last_name="Instructrice")
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    now = timezone.now()
    call = make_call(
        calls_index, opens_at=now - timedelta(days=5), cutoffs=[now + timedelta(days=5)]
    )
    application = complete_application(call)
    application = submit_application(application, application.created_by)
    application = fire(application, "start_eligibility_check", staff)
    return ask(application, staff, "Précisez l'hébergeur HDS.")


@pytest.mark.django_db
@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_a_vanished_object_sends_nothing_and_says_so(task, mailoutbox, caplog):
    with caplog.at_level(logging.WARNING):
        task.call(987654)
    assert mailoutbox == []
    assert "987654 no longer exists: no email sent." in caplog.text


@pytest.mark.django_db
def test_the_email_is_french_with_its_files_and_kept_in_the_members_inbox(asked, mailoutbox):
    organisation = asked.application.organisation
    colleague = add_member(organisation, UserFactory(email="bob@cardiolien.example"), "member")
    add_member(organisation, UserFactory(is_active=False))  # a departed member is not written to

    def compose(request: InformationRequest) -> OrganisationEmail:
        return OrganisationEmail(
            subject=f"Langue : {translation.get_language()}",
            template="evaluation/emails/information_requested.txt",
            context={"request": request, "application": request.application, "url": "/"},
            attachments=[("piece.pdf", minimal_pdf(), "application/pdf")],
        )

    with translation.override("en"):
        sent = email_organisation(
            InformationRequest.objects.all(), asked.pk, compose, what="Information request"
        )

    assert sent is True
    (message,) = mailoutbox
    assert message.subject == "Langue : fr"
    assert sorted(message.to) == sorted(organisation.member_emails())
    assert colleague.email in message.to
    assert len(message.to) == 2
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("piece.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert Notification.objects.filter(user=colleague, subject="Langue : fr").exists()


@pytest.mark.django_db
def test_an_organisation_without_address_gets_nothing_and_the_task_says_so(
    asked, mailoutbox, caplog
):
    asked.application.organisation.members.update(email="")
    with caplog.at_level(logging.WARNING):
        send_information_requested.call(asked.pk)
    assert mailoutbox == []
    assert f"Information request {asked.pk}: the organisation has no email." in caplog.text


@pytest.mark.django_db
def test_a_shortlist_letter_nobody_can_receive_is_logged_too(
    calls_index, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    now = timezone.now()
    call = make_call(
        calls_index,
        operator=Operator.objects.create(name="Opérateur des lettres"),
        opens_at=now - timedelta(days=30),
        cutoffs=[now + timedelta(days=1), now + timedelta(days=90)],
        second_stage=[now + timedelta(days=30), now + timedelta(days=120)],
    )
    officer = UserFactory()
    officer.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    call.operator.staff.add(officer)
    draft = complete_application(call)
    application = submit_application(draft, draft.created_by)
    application = fire(application, "start_eligibility_check", officer)
    application.organisation.members.update(email="")
    mailoutbox.clear()

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        decide(application, officer, ShortlistDecision.Outcome.NOT_SHORTLISTED, "Hors périmètre.")

    decision = ShortlistDecision.objects.get(application=application)
    assert not [m for m in mailoutbox if "présélection" in m.subject]
    assert f"Shortlist decision {decision.pk}: the organisation has no email." in caplog.text
