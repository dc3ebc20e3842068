"""An applicant answers a call's own form: its questions, a conditional question, an attachment
slot with its allowed kinds and size, the sections of review tracks the call does not use left
out, and declarations on honour signed at submission and printed on the receipt. A form edited
after a submission gets a new version; the submitted application keeps its own."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from cms.application_form_definition import body_from_definition
from cms.models import ApplicationForm
from core.roles import PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus
from grants.application_forms import reference_definition
from grants.models import Application
from grants.services.reference_form import load_reference_form

from ..application_form_data import build_form, question, section, slot
from ..factories import make_call
from ..grants_factories import OrganisationFactory, UserFactory, add_member, minimal_pdf

SECTIONS = [
    section(
        "projet",
        "Projet",
        [
            question("title", "Titre du projet", required=True),
            question(
                "stage",
                "Stade du projet",
                "choice",
                required=True,
                choices=[["idea", "Idée"], ["pilot", "Pilote en cours"]],
            ),
            question(
                "pilot_sites",
                "Sites pilotes",
                "textarea",
                required=True,
                max_length=300,
                only_if=["stage", "pilot"],
                heading="Expérimentation",
                heading_help="Où le service est-il déjà utilisé ?",
            ),
            question("own_funds", "Fonds propres engagés", "amount", required=True),
        ],
    ),
    section(
        "ethique",
        "Questions éthiques",
        [question("ai_use", "Utilisez-vous une IA ?", "yesno", required=True)],
        review_track="ethics",
    ),
    section("pieces", "Pièces", kind="attachments"),
    section(
        "engagements",
        "Engagements",
        [
            question(
                "dnsh",
                "Je déclare sur l'honneur respecter le principe DNSH.",
                "declaration",
                required=True,
            ),
            question(
                "no_double",
                "Je déclare sur l'honneur l'absence de double financement public.",
                "declaration",
                required=True,
            ),
        ],
    ),
]
SLOTS = [
    slot(
        "budget_sheet", "Budget détaillé (tableur)", formats=["xlsx"], max_size_mb=1, required=True
    )
]


def xlsx_bytes(rows: int = 2) -> bytes:
    workbook = Workbook()
    for index in range(rows):
        # Random text: it does not compress, so the file grows with the rows.
        workbook.active.append([os.urandom(24).hex(), index])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def ami_form(db):
    return build_form("AMI Expérimentations 2027", SECTIONS, SLOTS)


@pytest.fixture
def call(calls_index, ami_form):
    now = timezone.now()
    return make_call(
        calls_index,
        title="AMI Expérimentations",
        opens_at=now - timedelta(days=1),
        cutoffs=[now + timedelta(days=30)],
        tracks=("security",),
        application_form=ami_form,
    )


@pytest.fixture
def applicant(client):
    user = add_member(OrganisationFactory())
    user.first_name, user.last_name = "Camille", "Martin"
    user.save()
    client.force_login(user)
    return user


def section_url(application, slug):
    return reverse("grants:section", args=[application.pk, slug])


def start(client, call) -> Application:
    client.post(reverse("grants:start", args=[call.pk]))
    return Application.objects.get(call=call, status=ApplicationStatus.DRAFT)


def upload(client, application, key, content, name):
    return client.post(
        reverse("grants:attachments", args=[application.pk]),
        {"slot": key, "file": SimpleUploadedFile(name, content)},
    )


def fill(client, application, **answers):
    data = {"title": "CardioPilote", "stage": "idea", "own_funds": "12000", **answers}
    return client.post(section_url(application, "projet"), data)


SIGNED = {
    "declaration__engagements__dnsh": "on",
    "declaration__engagements__no_double": "on",
    "role": "Présidente",
    "confirm": "yes",
}


def submit(client, application, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("evaluation:submit", args=[application.pk]), data)


@pytest.mark.django_db
def test_the_applicant_answers_the_calls_own_questions(client, applicant, call):
    application = start(client, call)
    page = client.get(section_url(application, "projet")).content.decode()
    for label in ("Stade du projet", "Pilote en cours", "Fonds propres engagés", "Expérimentation"):
        assert label in page, label
    # The ethics section serves a track the call does not use: neither a step nor required.
    assert section_url(application, "ethique") not in page
    assert client.get(section_url(application, "ethique")).status_code == 404
    assert "Étape 1 sur 3" in page  # projet, pièces, then « vérification et dépôt »
    # Declarations on honour are signed at submission, not drafted.
    assert client.get(section_url(application, "engagements")).status_code == 404

    fill(client, application, stage="pilot")
    review = client.get(reverse("grants:review", args=[application.pk])).content.decode()
    assert "À renseigner : Sites pilotes" in review
    assert "Pièce à joindre : Budget détaillé (tableur)" in review
    assert "Utilisez-vous une IA" not in review

    # The attachments are the last step: « Continuer » leads to « Vérification et dépôt ».
    pieces = client.get(reverse("grants:attachments", args=[application.pk])).content.decode()
    review_url = reverse("grants:review", args=[application.pk])
    assert f'<a class="fr-btn" href="{review_url}">Continuer</a>' in pieces

    # Not asked when the condition does not hold.
    fill(client, application, stage="idea")
    review = client.get(reverse("grants:review", args=[application.pk])).content.decode()
    assert "Sites pilotes" not in review


@pytest.mark.django_db
def test_too_long_an_answer_is_refused_and_the_rest_kept(client, applicant, call):
    application = start(client, call)
    response = fill(client, application, stage="pilot", pilot_sites="x" * 301)
    assert response.status_code == 302
    page = client.get(section_url(application, "projet")).content.decode()
    assert "300 caractères" in page
    application.refresh_from_db()
    assert application.answers["projet"]["title"] == "CardioPilote"
    assert "pilot_sites" not in application.answers["projet"]
    assert application.project_title == "CardioPilote"


@pytest.mark.django_db
def test_the_slot_accepts_only_its_kinds_and_size(client, applicant, call, settings):
    application = start(client, call)
    refused = upload(client, application, "budget_sheet", minimal_pdf("budget"), "budget.pdf")
    assert refused.status_code == 200
    assert not application.attachments.exists()
    too_big = xlsx_bytes(30_000)
    assert len(too_big) > 1024 * 1024
    assert upload(client, application, "budget_sheet", too_big, "big.xlsx").status_code == 200
    assert not application.attachments.exists()
    unknown = upload(client, application, "kbis", minimal_pdf("kbis"), "kbis.pdf")
    assert unknown.status_code == 200 and not application.attachments.exists()
    ok = upload(client, application, "budget_sheet", xlsx_bytes(), "budget.xlsx")
    assert ok.status_code == 302
    assert application.attachments.get().get_slot_display() == "Budget détaillé (tableur)"


def ready(client, application):
    fill(client, application, stage="pilot", pilot_sites="CHU de Rennes")
    upload(client, application, "budget_sheet", xlsx_bytes(), "budget.xlsx")


@pytest.mark.django_db
def test_submission_needs_every_declaration_signed_and_prints_the_signature(
    client, applicant, call, django_capture_on_commit_callbacks
):
    application = start(client, call)
    ready(client, application)
    confirm = reverse("evaluation:submit", args=[application.pk])
    page = client.get(confirm).content.decode()
    assert "principe DNSH" in page and "double financement" in page

    # One declaration not ticked: 400, nothing submitted, what was ticked and typed is shown.
    partial = {k: v for k, v in SIGNED.items() if k != "declaration__engagements__no_double"}
    refused = submit(client, application, partial, django_capture_on_commit_callbacks)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Cochez cette déclaration pour déposer." in text
    assert 'value="Présidente"' in text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.answers["projet"]["pilot_sites"] == "CHU de Rennes"

    no_role = submit(
        client, application, {**SIGNED, "role": ""}, django_capture_on_commit_callbacks
    )
    assert no_role.status_code == 400
    assert "Indiquez votre fonction" in no_role.content.decode()

    response = submit(client, application, SIGNED, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    signature = application.snapshot["declarations"]
    assert signature["name"] == "Camille Martin"
    assert signature["role"] == "Présidente"
    assert [d["key"] for d in signature["texts"]] == ["engagements.dnsh", "engagements.no_double"]
    assert application.snapshot["form"] == {"name": "AMI Expérimentations 2027", "version": 1}
    assert application.form_version.frozen_at is not None

    receipt = client.get(reverse("grants:receipt", args=[application.pk])).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt)).pages)
    text = " ".join(text.split())
    assert "Déclarations sur l'honneur" in text
    assert "Signées par Camille Martin, Présidente" in text
    assert "respecter le principe DNSH" in text


@pytest.mark.django_db
def test_a_form_edited_after_a_submission_gets_a_new_version(
    client, applicant, call, ami_form, django_capture_on_commit_callbacks
):
    application = start(client, call)
    ready(client, application)
    submit(client, application, SIGNED, django_capture_on_commit_callbacks)
    application.refresh_from_db()

    # Staff rename a question and add one: the submitted version is frozen, so a new one.
    definition = ami_form.newest_version().definition
    projet = definition["sections"][0]
    projet["questions"][0]["label"] = "Nom du projet"
    projet["questions"].append(question("website", "Site web du projet", "url"))
    ami_form.body = body_from_definition(definition)
    ami_form.save()
    assert list(ami_form.versions.values_list("number", flat=True)) == [2, 1]

    # The submitted application keeps its version: the staff page reads its questions.
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    client.force_login(staff)
    page = client.get(reverse("evaluation:application", args=[application.pk])).content.decode()
    assert "Titre du projet" in page and "CardioPilote" in page
    assert "Site web du projet" not in page
    assert "Signées par Camille Martin (Présidente)" in page

    # A new draft answers the new version.
    other = add_member(OrganisationFactory())
    client.force_login(other)
    draft = start(client, call)
    page = client.get(section_url(draft, "projet")).content.decode()
    assert "Nom du projet" in page and "Site web du projet" in page

    # Editing again before any submission on version 2 updates it in place.
    ami_form.description = "Précisions"
    definition["sections"][0]["questions"][-1]["label"] = "Site web"
    ami_form.body = body_from_definition(definition)
    ami_form.save()
    assert ami_form.versions.count() == 2
    assert ami_form.newest_version().definition["sections"][0]["questions"][-1]["label"] == (
        "Site web"
    )


@pytest.mark.django_db
def test_the_reference_form_is_todays_catalogue_and_loads_once(calls_index):
    form = load_reference_form()
    again = load_reference_form()
    assert form.pk == again.pk and again.versions.count() == 1
    assert ApplicationForm.objects.reference() == form
    definition = form.newest_version().definition
    expected = reference_definition()
    assert [s["slug"] for s in definition["sections"]] == [s["slug"] for s in expected["sections"]]
    for built, shipped in zip(definition["sections"], expected["sections"], strict=True):
        assert [q["key"] for q in built["questions"]] == [q["key"] for q in shipped["questions"]]
        assert [q["kind"] for q in built["questions"]] == [q["kind"] for q in shipped["questions"]]
    assert [s["key"] for s in definition["attachments"]] == [
        s["key"] for s in expected["attachments"]
    ]


def projet_with(count: int) -> list[dict]:
    questions = [
        question(f"q{i}", f"Question {i}", "textarea", max_length=500) for i in range(count)
    ]
    return [section("projet", "Projet", [question("title", "Titre"), *questions])]


@pytest.mark.django_db
def test_the_section_page_makes_as_many_queries_for_50_questions_as_for_5(
    client, applicant, calls_index
):
    now = timezone.now()
    counts = []
    for size in (5, 50):
        form = build_form(f"Formulaire {size}", projet_with(size))
        call = make_call(
            calls_index,
            opens_at=now - timedelta(days=1),
            cutoffs=[now + timedelta(days=30)],
            application_form=form,
        )
        application = start(client, call)
        client.get(section_url(application, "projet"))  # warm the site's caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(section_url(application, "projet"))
        assert f"Question {size - 1}" in page.content.decode()
        counts.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("grants:review", args=[application.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[2], counts  # the section page
    assert counts[1] == counts[3], counts  # the review page and its stepper


@pytest.mark.django_db
def test_a_form_without_declarations_is_submitted_with_the_confirmation_alone(
    client, applicant, calls_index, django_capture_on_commit_callbacks
):
    form = build_form("Sans déclaration", SECTIONS[:3], SLOTS)
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=1),
        cutoffs=[now + timedelta(days=30)],
        application_form=form,
    )
    application = start(client, call)
    ready(client, application)
    client.post(section_url(application, "ethique"), {"ai_use": "false"})
    page = client.get(reverse("evaluation:submit", args=[application.pk])).content.decode()
    assert "Déclarations sur l'honneur" not in page
    submit(client, application, {"confirm": "yes"}, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "declarations" not in application.snapshot
