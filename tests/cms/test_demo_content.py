"""The demo command builds a living site and can be run again without duplicating anything."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Page, Site

from cms.models import (
    ApplicationForm,
    CallCutoff,
    CallPage,
    CallQuestion,
    CallReviewTrack,
    Operator,
    Theme,
)
from cms.models.calls import CallStatus
from core.vocabulary import ApplicationStatus
from ethics.models import ReviewAssignment
from ethics.services import obvious_conflict
from evaluation import ranking
from evaluation.demo import DEMO_PRE_PROPOSALS, HEARING_PROJECTS
from evaluation.models import CommitteeSession, HearingInvitation
from funding.demo import FUNDED_PROJECTS
from grants.forms.organisation import OrganisationForm
from grants.models import Application

from ..grants_factories import pdf_is_tagged


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "calls": CallPage.objects.count(),
        "cutoffs": CallCutoff.objects.count(),
        "tracks": CallReviewTrack.objects.count(),
        "questions": CallQuestion.objects.count(),
        "documents": Document.objects.count(),
        "operators": Operator.objects.count(),
        "themes": Theme.objects.count(),
        "sites": Site.objects.count(),
    }


@pytest.mark.django_db
def test_demo_twice_leaves_one_copy_of_everything(client):
    call_command("load_demo")
    first = snapshot()
    call_command(
        "load_demo", "--admin-password", "demo-password-123", "--applicant-password", "demo-123456"
    )
    call_command("load_demo", "--applicant-password", "demo-123456")
    assert snapshot() == first
    # Five calls, each in French and in English.
    assert first["calls"] == 10
    assert CallPage.objects.references().count() == 5
    # Every demo call answers the shipped reference form, the two-stage call's pre-proposals
    # the short form; each loaded once (one version, frozen by the demo's submitted ones).
    form, short = ApplicationForm.objects.reference(), ApplicationForm.objects.pre_proposal()
    assert ApplicationForm.objects.count() == 2
    for shipped in (form, short):
        assert shipped.versions.count() == 1 and shipped.newest_version().frozen_at is not None
    two_stage = [c for c in CallPage.objects.prefetch_related("cutoffs") if c.is_two_stage]
    assert two_stage and all(
        (c.application_form, c.second_stage_form) == (short, form) for c in two_stage
    )
    assert set(
        CallPage.objects.exclude(pk__in=[c.pk for c in two_stage]).values_list(
            "application_form", flat=True
        )
    ) == {form.pk}
    # The short form asks the project in a few answers and two documents.
    definition = short.newest_version().definition
    assert [s["slug"] for s in definition["sections"]] == [
        "projet",
        "budget",
        "pieces",
        "declarations",
    ]
    assert [slot["key"] for slot in definition["attachments"]] == ["pitch_deck", "kbis"]

    # The site root is the demo's home page: Wagtail's placeholder page is gone.
    assert client.get("/").status_code == 200
    assert "Les appels à projets de la santé numérique" in client.get("/").content.decode()
    assert client.login(username="admin", password="demo-password-123")
    # The demo applicant signs in by email and finds one draft on an open call.
    client.logout()
    response = client.post(
        "/compte/login/", {"login": "candidat@ruche.local", "password": "demo-123456"}
    )
    assert response.status_code == 302
    assert "CardioLien" in client.get("/espace/").content.decode()


@pytest.mark.django_db
def test_demo_models_the_programme(client):
    call_command("load_demo")
    calls = {call.slug: call for call in CallPage.objects.live()}
    # Several relèves on one call, a two-stage call, an early closure.
    assert len(calls["tiers-lieux-experimentation"].sorted_cutoffs()) == 3
    assert calls["dispositifs-medicaux-numeriques"].is_two_stage
    assert calls["interoperabilite-segur"].is_closed_early
    assert calls["interoperabilite-segur"].status() == CallStatus.CLOSED
    # Each call ships its specification as a real PDF.
    for call in calls.values():
        document = call.documents.get().document
        with document.file.open("rb") as pdf:
            content = pdf.read()
        assert content.startswith(b"%PDF-") and pdf_is_tagged(content)
    statuses = {call.status(timezone.now()) for call in calls.values()}
    assert CallStatus.CLOSED in statuses


@pytest.mark.django_db
def test_demo_organisations_pass_the_siret_check_and_can_be_edited():
    """The back office's demo applications pass the automatic « SIRET valide » check, and their
    organisations' details can be saved as they are (a 13-digit SIRET blocked both)."""
    call_command("load_demo", "--applicant-password", "demo-123456")
    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    # The workflow demo's four, its hearings' two, and the funded projects of the follow-up
    # (those through the two-stage call: their shortlisted pre-proposals are counted apart),
    # and the pre-proposals waiting for the officer's shortlisting.
    waiting = [project for _name, _siren, _region, project, _amount in DEMO_PRE_PROPOSALS]
    assert submitted.filter(
        project_title__in=waiting, status=ApplicationStatus.ELIGIBILITY
    ).count() == len(waiting)
    applications = submitted.exclude(project_title__in=waiting).exclude(
        status=ApplicationStatus.SHORTLISTED
    )
    assert applications.count() == 4 + len(HEARING_PROJECTS) + len(FUNDED_PROJECTS)
    for application in submitted.select_related("organisation"):
        checks = {check["code"]: check for check in application.eligibility_checks}
        assert checks["siret"]["passed"], application.organisation.siret
        organisation = application.organisation
        form = OrganisationForm(model_to_dict(organisation), instance=organisation)
        assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_every_persona_of_the_demo_has_something_to_do(client):
    """The officer can line up an expert for the demo applicant's own application once it is
    submitted; the ethics expert has a review to write; the committee member has an
    application to decide, every required track scored."""
    call_command("load_demo", "--applicant-password", "demo-123456")
    draft = Application.objects.get(organisation__siren="901234567", status=ApplicationStatus.DRAFT)
    for username in ("expert.ethique", "expert.securite", "expert.interop"):
        expert = get_user_model().objects.get(username=username)
        assert obvious_conflict(draft, expert) == "", username

    ethics_expert = get_user_model().objects.get(username="expert.ethique")
    assert ReviewAssignment.objects.filter(
        reviewer=ethics_expert, application__status=ApplicationStatus.ETHICS_REVIEW
    ).exists()

    session = CommitteeSession.objects.order_by("pk").first()  # the workflow demo's
    waiting = session.call.applications.filter(status=ApplicationStatus.COMMITTEE)
    assert [a.project_title for a in waiting] == ["PneumoSuivi"]
    ranked = ranking.rank(list(waiting))
    assert ranked[0].score is not None
    member = get_user_model().objects.get(username="comite")
    assert session.members.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_demo_hearings_wait_for_the_applicant_and_the_jury():
    """The call that hears its applicants: the demo applicant's invitation waits for their
    answer, the jury persona has a hearing to record and score, and the funded projects of
    that call were heard (their grids returned) on their way to the committee."""
    call_command("load_demo", "--applicant-password", "demo-123456")
    call_command("load_demo", "--applicant-password", "demo-123456")  # idempotent
    waiting = HearingInvitation.objects.get(application__project_title="OrthoSuivi")
    assert waiting.answer == HearingInvitation.Answer.PENDING
    assert waiting.application.organisation.memberships.filter(
        user__email="candidat@ruche.local"
    ).exists()
    to_score = HearingInvitation.objects.get(application__project_title="NéoDerm")
    assert to_score.attendance == ""
    jury = get_user_model().objects.get(email="jury@ruche.local")
    assert ReviewAssignment.objects.filter(
        application=to_score.application, reviewer=jury, track="hearing", conflict="pending"
    ).exists()
    heard = HearingInvitation.objects.get(application__project_title="TéléRééduc")
    assert heard.attendance == HearingInvitation.Attendance.PRESENT
    assert heard.application.review_assignments.filter(
        track="hearing", reviews__status="submitted"
    ).exists()
    assert HearingInvitation.objects.count() == 4
