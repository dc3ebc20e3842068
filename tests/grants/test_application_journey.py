"""The applicant's journey through the views: start, draft every section, attach, submit,
receipt, dashboard, withdraw; and every refusal with its French message."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.vocabulary import ApplicationStatus
from grants.models import Application

from ..factories import ThemeFactory, make_call
from ..grants_factories import (
    COMPLETE_ANSWERS,
    OrganisationFactory,
    add_member,
    complete_application,
    minimal_pdf,
    signed_declarations,
)


@pytest.fixture
def open_call(calls_index):
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=10),
        cutoffs=[now + timedelta(days=20)],
        max_amount_per_project=500_000,
    )
    call.themes.set(
        [ThemeFactory(name="Télésurveillance médicale", slug="telesurveillance-medicale")]
    )
    call.save_revision().publish()
    return call


@pytest.fixture
def applicant(client):
    organisation = OrganisationFactory()
    user = add_member(organisation)
    client.force_login(user)
    return user


def section_url(application, slug):
    return reverse("grants:section", args=[application.pk, slug])


def post_section(client, application, slug, data, **extra):
    return client.post(section_url(application, slug), data, **extra)


def formset(prefix, rows, extra=1):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def upload(client, application, slot, content, name):
    return client.post(
        reverse("grants:attachments", args=[application.pk]),
        {"slot": slot, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.django_db
def test_full_journey_from_empty_draft_to_receipt(
    client, applicant, open_call, mailoutbox, django_capture_on_commit_callbacks
):
    response = client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    assert response.url == section_url(application, "projet")

    project = {k: v for k, v in COMPLETE_ANSWERS["projet"].items() if k != "target_users"}
    project["target_users"] = ["patients"]
    assert post_section(client, application, "projet", project).status_code == 302
    post_section(
        client,
        application,
        "equipe",
        {
            "lead-name": "Camille Martin",
            "lead-email": "camille@tc.example",
            **formset("members", [{"name": "Inès", "role": "CTO"}]),
            **formset("partners", []),
        },
    )
    post_section(
        client,
        application,
        "budget",
        {
            **formset("lines", [{"category": "staff", "description": "Dev", "amount": "600000"}]),
            **formset("cofunding", []),
            "amount_requested": "250000",
        },
    )
    post_section(
        client,
        application,
        "ethique",
        {"processes_health_data": "true", "business_model": "Abonnement", "uses_ai": "false"},
    )
    post_section(client, application, "securite", {"hosts_health_data": "false"})
    post_section(
        client, application, "interoperabilite", {"identifies_patients": "true", "uses_ins": "true"}
    )
    assert (
        upload(client, application, "pitch_deck", minimal_pdf("pitch"), "pitch.pdf").status_code
        == 302
    )
    assert upload(client, application, "kbis", minimal_pdf("kbis"), "kbis.pdf").status_code == 302

    review = client.get(reverse("grants:review", args=[application.pk]))
    assert "Votre dossier est complet" in review.content.decode()

    # A last page says what will be sent; submitting without confirming changes nothing.
    confirm_url = reverse("evaluation:submit", args=[application.pk])
    page = client.get(confirm_url).content.decode()
    for expected in ("pitch.pdf", "kbis.pdf", "Relève", "250\u00a0000\u00a0€"):
        assert expected in page, expected
    # The declarations on honour are signed here, by the person submitting.
    assert "Déclarations sur l'honneur" in page
    assert "J&#x27;atteste l&#x27;exactitude" in page
    refused = client.post(confirm_url)
    assert refused.status_code == 400
    assert "Cochez la case pour confirmer le dépôt" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url, signed_declarations(), follow=True)
    assert "Votre dossier est déposé" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.amount_requested == Decimal("250000")
    assert application.snapshot["answers"]["budget"]["lines"][0]["amount"] == "600000"

    receipt = client.get(reverse("grants:receipt", args=[application.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF-")
    assert len(mailoutbox) == 1

    dashboard = client.get(reverse("grants:dashboard")).content.decode()
    assert "TeleCardio" in dashboard and "Déposé" in dashboard


@pytest.mark.django_db
def test_submission_lists_every_missing_item_with_a_link(client, applicant, open_call):
    client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    post_section(client, application, "projet", {"title": "Projet incomplet"})

    page = client.get(reverse("grants:review", args=[application.pk])).content.decode()
    assert "À renseigner : Résumé" in page
    assert f"{section_url(application, 'projet')}#id_summary" in page
    assert "Pièce à joindre : Extrait Kbis ou équivalent" in page

    client.post(reverse("evaluation:submit", args=[application.pk]), signed_declarations())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


@pytest.mark.django_db
def test_invalid_input_is_shown_with_its_error_and_valid_answers_are_kept(
    client, applicant, open_call
):
    client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    response = post_section(
        client,
        application,
        "projet",
        {"title": "Mon projet", "summary": "x" * 1600, "duration_months": "douze"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "x" * 1600 in page  # the too-long summary is still in the form, not lost
    application.refresh_from_db()
    assert application.answers["projet"]["title"] == "Mon projet"
    assert "summary" not in application.answers["projet"]


@pytest.mark.django_db
def test_amount_above_the_cap_is_refused(client, applicant, open_call):
    client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    response = post_section(
        client,
        application,
        "budget",
        {
            **formset("lines", [{"category": "staff", "description": "Dev", "amount": "2000000"}]),
            **formset("cofunding", []),
            "amount_requested": "900000",
        },
        follow=True,
    )
    assert "dépasse le plafond de l'appel" in response.content.decode().replace("&#x27;", "'")
    application.refresh_from_db()
    assert application.amount_requested is None
    assert application.answers["budget"]["lines"][0]["amount"] == "2000000"


@pytest.mark.django_db
def test_autosave_answers_json_with_the_time_saved(client, applicant, open_call):
    client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    response = post_section(
        client, application, "projet", {"title": "Autosauvé"}, HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 200
    assert "saved_at" in response.json()
    application.refresh_from_db()
    assert application.project_title == "Autosauvé"


@pytest.mark.django_db
def test_renamed_executable_is_refused_and_nothing_is_stored(client, applicant, open_call):
    client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    response = upload(client, application, "kbis", b"MZ\x90\x00" + b"\x00" * 2000, "kbis.pdf")
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not application.attachments.exists()


@pytest.mark.django_db
def test_files_beyond_the_application_total_are_refused(client, applicant, open_call, settings):
    client.post(reverse("grants:start", args=[open_call.pk]))
    application = Application.objects.get()
    first = minimal_pdf("Pitch " + "x" * 2000)
    settings.APPLICATION_MAX_BYTES = len(first) + 100
    upload(client, application, "pitch_deck", first, "pitch.pdf")
    assert application.attachments.count() == 1

    response = upload(client, application, "kbis", minimal_pdf("Kbis " + "y" * 2000), "kbis.pdf")
    assert "dépasseraient" in response.content.decode()
    assert list(application.attachments.values_list("slot", flat=True)) == ["pitch_deck"]


@pytest.mark.django_db
def test_another_organisation_gets_404_everywhere(client, open_call):
    victim = complete_application(open_call)
    attachment = victim.attachments.first()
    intruder = add_member(OrganisationFactory())
    client.force_login(intruder)
    for url in [
        reverse("evaluation:followup", args=[victim.pk]),
        reverse("grants:section", args=[victim.pk, "projet"]),
        reverse("grants:review", args=[victim.pk]),
        reverse("grants:attachments", args=[victim.pk]),
        reverse("grants:attachment_download", args=[victim.pk, attachment.pk]),
        reverse("grants:receipt", args=[victim.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("evaluation:withdraw", args=[victim.pk]), {"confirm": "yes"}
        ).status_code
        == 404
    )
    assert client.post(reverse("evaluation:submit", args=[victim.pk])).status_code == 404
    assert post_section(client, victim, "projet", {"title": "Piraté"}).status_code == 404
    delete = reverse("grants:attachment_delete", args=[victim.pk, attachment.pk])
    assert client.post(delete).status_code == 404
    # Their own application's URL does not reach another application's file either.
    own = complete_application(open_call, organisation=intruder.organisations.get(), user=intruder)
    download = reverse("grants:attachment_download", args=[own.pk, attachment.pk])
    assert client.get(download).status_code == 404
    delete = reverse("grants:attachment_delete", args=[own.pk, attachment.pk])
    assert client.post(delete).status_code == 404
    victim.refresh_from_db()
    assert victim.status == ApplicationStatus.DRAFT
    assert victim.answers["projet"]["title"] == "TeleCardio"
    assert victim.attachments.filter(pk=attachment.pk).exists()


@pytest.mark.django_db
def test_one_draft_per_organisation_and_call(client, applicant, open_call):
    client.post(reverse("grants:start", args=[open_call.pk]))
    client.post(reverse("grants:start", args=[open_call.pk]))
    assert Application.objects.count() == 1
    page = client.get(open_call.url).content.decode()
    assert "Reprendre mon brouillon" in page


@pytest.mark.django_db
def test_withdrawal_after_submission(client, open_call):
    from evaluation.services import submit_application

    application = complete_application(open_call)
    submit_application(application, application.created_by)
    client.force_login(application.created_by)
    client.post(
        reverse("evaluation:withdraw", args=[application.pk]),
        {"confirm": "yes", "comment": "Projet abandonné"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    page = client.get(reverse("evaluation:followup", args=[application.pk])).content.decode()
    assert "Retiré" in page and "Projet abandonné" in page


@pytest.mark.django_db
def test_staff_download_submitted_files_but_not_drafts(client, open_call):
    from django.contrib.auth.models import Group

    from core.roles import PROGRAMME_STAFF_GROUP
    from evaluation.services import submit_application

    draft = complete_application(open_call)
    submitted = complete_application(open_call)
    submit_application(submitted, submitted.created_by)
    officer = add_member(OrganisationFactory())
    officer.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    open_call.officers.add(officer)
    open_call.save()
    client.force_login(officer)

    def download(application):
        attachment = application.attachments.first()
        return client.get(
            reverse("grants:attachment_download", args=[application.pk, attachment.pk])
        )

    response = download(submitted)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert download(draft).status_code == 404
