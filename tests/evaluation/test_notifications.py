"""Emails after the commit: applicants told of changes they can see, staff of new submissions
and answers, experts of their assignments; everyone may turn the optional ones off."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core.roles import PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.emails import notify_reviewer_assigned, schedule_reviewer_assigned
from evaluation.models import NotificationPreference
from evaluation.services import fire, submit_application
from grants.models import Application

from ..factories import make_call
from ..grants_factories import UserFactory, add_member, complete_application

BASE = settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def open_call(index, tracks=()):
    now = timezone.now()
    return make_call(
        index, opens_at=now - timedelta(days=5), cutoffs=[now + timedelta(days=5)], tracks=tracks
    )


def make_staff():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


@pytest.fixture
def staff(db):
    return make_staff()


def submitted(call):
    application = complete_application(call)
    return submit_application(application, application.created_by)


def sent_to(outbox, subject_part: str) -> list[str]:
    return sorted(address for m in outbox if subject_part in m.subject for address in m.to)


@pytest.mark.django_db
def test_a_staff_transition_emails_every_member_of_the_applicant_organisation(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted(open_call(calls_index))
    colleague = add_member(application.organisation, role="member")

    with django_capture_on_commit_callbacks(execute=True):
        fire(application, "start_eligibility_check", staff)

    assert sent_to(mailoutbox, "est maintenant") == sorted(
        [application.created_by.email, colleague.email]
    )
    assert len(mailoutbox) == 2  # one message each, and nothing to staff
    message = mailoutbox[0]
    assert message.subject == (
        f"[Ruche] Votre dossier {application.reference} est maintenant : En instruction"
    )
    assert "est maintenant : En instruction." in message.body
    assert f"{BASE}/espace/candidatures/{application.pk}/" in message.body
    assert f"{BASE}/espace/notifications/" in message.body  # how to turn it off


@pytest.mark.django_db
def test_a_member_who_turned_updates_off_receives_nothing(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted(open_call(calls_index))
    quiet = application.created_by
    NotificationPreference.objects.create(user=quiet, applicant_updates=False)
    colleague = add_member(application.organisation, role="member")

    with django_capture_on_commit_callbacks(execute=True):
        fire(application, "start_eligibility_check", staff)

    assert sent_to(mailoutbox, "est maintenant") == [colleague.email]


@pytest.mark.django_db
def test_nothing_is_sent_for_what_the_applicant_cannot_tell_apart_or_did_themself(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted(open_call(calls_index, ("security",)))
    application = fire(application, "start_eligibility_check", staff)
    with django_capture_on_commit_callbacks(execute=True):
        # Eligibility → security review: « En instruction » both before and after.
        application = fire(application, "start_security_review", staff, comment="Éligible")
        fire(application, "withdraw", application.created_by)  # the applicant's own doing
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_decision_of_ineligibility_reaches_even_those_who_opted_out(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = fire(submitted(open_call(calls_index)), "start_eligibility_check", staff)
    NotificationPreference.objects.create(user=application.created_by, applicant_updates=False)
    with django_capture_on_commit_callbacks(execute=True):
        fire(application, "declare_ineligible", staff, comment="Siège hors de France.")
    assert sent_to(mailoutbox, "Non retenu") == [application.created_by.email]
    assert "Siège hors de France." in mailoutbox[0].body
    assert "/espace/notifications/" not in mailoutbox[0].body  # essential: no opt-out offered


@pytest.mark.django_db
def test_a_new_submission_emails_programme_staff_except_who_opted_out(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    opted_out = make_staff()
    NotificationPreference.objects.create(user=opted_out, new_submissions=False)
    call = open_call(calls_index)

    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(call)

    assert sent_to(mailoutbox, "Nouveau dossier déposé") == [staff.email]
    new = next(m for m in mailoutbox if "Nouveau dossier déposé" in m.subject)
    assert application.reference in new.subject
    assert application.organisation.legal_name in new.body
    assert new.body.count(BASE) == 2  # the back office link, the preferences link
    # The applicant gets the receipt only, not a status update on top of it.
    assert sent_to(mailoutbox, "Récépissé") == [application.created_by.email]
    assert sent_to(mailoutbox, "est maintenant") == []


@pytest.mark.django_db
def test_an_answer_to_a_request_for_information_emails_staff(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    opted_out = make_staff()
    NotificationPreference.objects.create(user=opted_out, answered_requests=False)
    application = submitted(open_call(calls_index))
    Application.objects.filter(pk=application.pk).update(
        status=S.INFO_REQUESTED, information_requested_from=S.ELIGIBILITY
    )

    with django_capture_on_commit_callbacks(execute=True):
        fire(application, "answer_information", application.created_by, comment="Kbis joint")

    assert sent_to(mailoutbox, "Compléments reçus") == [staff.email]
    assert "Contrôle d'éligibilité" in mailoutbox[0].body
    assert sent_to(mailoutbox, "est maintenant") == []  # the applicant answered themself


@pytest.mark.django_db
def test_the_officer_who_asked_is_not_told_twice(
    calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    """The officer who asked gets the detailed email of evaluation.information instead."""
    colleague = make_staff()
    application = fire(submitted(open_call(calls_index)), "start_eligibility_check", staff)
    application = fire(application, "request_information", staff, comment="Joindre le Kbis")
    with django_capture_on_commit_callbacks(execute=True):
        fire(application, "answer_information", application.created_by, comment="Kbis joint")
    assert sent_to(mailoutbox, "Compléments reçus") == [colleague.email]


@pytest.mark.django_db
def test_preferences_page_requires_login(client):
    response = client.get("/espace/notifications/")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_preferences_page_saves_the_toggles(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/espace/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mes notifications" in html
    assert "toujours envoyés" in html and "récépissé de dépôt" in html  # the essential ones
    assert 'name="applicant_updates"' in html and "checked" in html
    assert 'name="new_submissions"' not in html  # staff toggles are for staff

    response = client.post("/espace/notifications/", {}, follow=True)  # every box unticked
    assert NotificationPreference.objects.get(user=user).applicant_updates is False
    assert "Vos préférences de notification sont enregistrées." in response.content.decode()

    client.post("/espace/notifications/", {"applicant_updates": "on"})
    assert NotificationPreference.objects.get(user=user).applicant_updates is True


@pytest.mark.django_db
def test_staff_choose_their_own_emails(client, staff):
    client.force_login(staff)
    assert 'name="new_submissions"' in client.get("/espace/notifications/").content.decode()
    client.post("/espace/notifications/", {"applicant_updates": "on", "answered_requests": "on"})
    preference = NotificationPreference.objects.get(user=staff)
    assert (preference.new_submissions, preference.answered_requests) == (False, True)


@pytest.mark.django_db
def test_the_reviewer_assignment_email_renders(
    calls_index, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted(open_call(calls_index, ("ethics",)))
    expert = UserFactory()

    notify_reviewer_assigned.call(expert.pk, application.pk, "ethics")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [expert.email]
    assert message.subject == f"[Ruche] Expertise « Éthique » à réaliser — {application.reference}"
    assert "Vous êtes désigné(e) pour l'expertise « Éthique »" in message.body
    # The link leads to the expert space, where the reviewer first declares any conflict.
    assert f"{BASE}/expertise/" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        schedule_reviewer_assigned(expert, application, "security")
    assert "« Sécurité »" in mailoutbox[1].subject
