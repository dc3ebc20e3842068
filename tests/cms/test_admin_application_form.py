"""Programme staff build a call's application form in the Wagtail admin; the admin refuses a
form that could not work (duplicate keys, a condition citing nothing or looping back, a choice
without choices) and a review grid citing a question the call's form does not have."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data

from cms.models import ApplicationForm, CallPage
from core.roles import PROGRAMME_STAFF_GROUP
from ethics.models import CallGrid, Criterion, ReviewGrid

from ..application_form_data import (
    build_form,
    list_block,
    posted_question,
    posted_section,
    question,
    section,
    stream,
)
from ..factories import OperatorFactory, make_call
from .test_admin_call_form import call_form, post_new_call

ADD = "wagtailsnippets_cms_applicationform:add"
EDIT = "wagtailsnippets_cms_applicationform:edit"


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("forms", "forms@example.org", "x" * 12)
    client.force_login(admin)
    return client


def short(key, label, **kwargs) -> tuple[str, dict]:
    return "short_text", {
        **posted_question(key, label, **kwargs),
        "format": "text",
        "max_length": "",
    }


def yes_no(key, label, **kwargs) -> tuple[str, dict]:
    return "yes_no", posted_question(key, label, **kwargs)


def long_text(key, label, max_length="800", **kwargs) -> tuple[str, dict]:
    return "long_text", {**posted_question(key, label, **kwargs), "max_length": max_length}


def choice(key, label, choices, **kwargs) -> tuple[str, dict]:
    items = [{"value": value, "label": text} for value, text in choices]
    return "single_choice", {
        **posted_question(key, label, **kwargs),
        "choices": list_block(items),
        "from_call_themes": "",
    }


def declaration(key, text) -> tuple[str, dict]:
    return "declaration", {"key": key, "text": text, "required": "on"}


def attachment(key, label) -> tuple[str, dict]:
    return "attachment", {
        "key": key,
        "label": label,
        "formats": "xlsx",
        "max_size_mb": "2",
        "required": "on",
        "multiple": "",
        "only_if_key": "",
        "only_if_value": "",
        "review_track": "",
    }


def form_data(name: str, sections: list[dict]) -> dict:
    return nested_form_data(
        {"name": name, "description": "", "body": stream([("section", s) for s in sections])}
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


GOOD_SECTIONS = [
    posted_section(
        "projet",
        "Projet",
        [
            short("title", "Titre du projet", required=True),
            choice("stage", "Stade", [("idea", "Idée"), ("pilot", "Pilote")], required=True),
            long_text("pilot_sites", "Sites pilotes", required=True, only_if=("stage", "pilot")),
            yes_no("uses_ai", "IA ?"),
        ],
    ),
    posted_section("pieces", "Pièces", [attachment("budget_sheet", "Budget détaillé")]),
    posted_section(
        "engagements",
        "Engagements",
        [declaration("dnsh", "Je déclare respecter le principe DNSH.")],
    ),
]


@pytest.mark.django_db
def test_staff_build_a_form_with_conditions_attachments_and_declarations(admin_client):
    response = admin_client.post(reverse(ADD), form_data("AMI IA 2027", GOOD_SECTIONS))
    assert response.status_code == 302, page_text(response)[:3000]

    form = ApplicationForm.objects.get(name="AMI IA 2027")
    (version,) = form.versions.all()
    assert version.number == 1
    definition = version.definition
    projet = definition["sections"][0]
    assert [q["key"] for q in projet["questions"]] == ["title", "stage", "pilot_sites", "uses_ai"]
    assert projet["questions"][2]["only_if"] == ["stage", "pilot"]
    assert (
        definition["attachments"][0] | {"formats": ["xlsx"], "max_size_mb": 2}
        == (definition["attachments"][0])
    )
    assert definition["sections"][2]["questions"][0]["kind"] == "declaration"
    listing = admin_client.get(reverse("wagtailsnippets_cms_applicationform:list"))
    assert "AMI IA 2027" in page_text(listing)


BAD_FORMS = {
    "duplicate key": (
        [posted_section("projet", "Projet", [short("title", "Titre"), short("title", "Nom")])],
        "Clés de question en double : title",
    ),
    "condition loop": (
        [
            posted_section(
                "projet",
                "Projet",
                [
                    yes_no("a", "A ?", only_if=("b", "oui")),
                    yes_no("b", "B ?", only_if=("a", "oui")),
                ],
            )
        ],
        "Conditions en boucle : a → b → a",
    ),
    "unknown condition": (
        [posted_section("projet", "Projet", [short("x", "X", only_if=("nowhere", "oui"))])],
        "la condition cite « nowhere », qui n'est pas une question",
    ),
    "condition on itself": (
        [posted_section("projet", "Projet", [yes_no("x", "X ?", only_if=("x", "oui"))])],
        "« x » : la condition ne peut porter sur elle-même.",
    ),
    "choice without choices": (
        [posted_section("projet", "Projet", [choice("stage", "Stade", [])])],
        "« stage » : donnez au moins un choix.",
    ),
    "value outside the choices": (
        [
            posted_section(
                "projet",
                "Projet",
                [
                    choice("stage", "Stade", [("idea", "Idée")]),
                    short("sites", "Sites", only_if=("stage", "pilot")),
                ],
            )
        ],
        "« pilot » n'est pas un des choix de « stage »",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FORMS)
def test_a_form_that_could_not_work_is_refused_with_a_clear_message(admin_client, case):
    sections, message = BAD_FORMS[case]
    response = admin_client.post(reverse(ADD), form_data("Formulaire cassé", sections))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ApplicationForm.objects.exists()


@pytest.mark.django_db
def test_editing_a_loop_into_a_saved_form_is_refused_and_keeps_the_version(admin_client):
    admin_client.post(reverse(ADD), form_data("AMI IA 2027", GOOD_SECTIONS))
    form = ApplicationForm.objects.get()
    looped = [
        posted_section(
            "projet",
            "Projet",
            [yes_no("a", "A ?", only_if=("b", "non")), yes_no("b", "B ?", only_if=("a", "non"))],
        )
    ]
    response = admin_client.post(reverse(EDIT, args=[form.pk]), form_data("AMI IA 2027", looped))
    assert response.status_code == 200
    assert "Conditions en boucle" in page_text(response)
    (version,) = form.versions.all()
    assert version.definition["sections"][0]["questions"][0]["key"] == "title"


# -- Review grids cite the call's questions ------------------------------------------------


@pytest.fixture
def grid(db):
    grid = ReviewGrid.objects.create(name="Grille sécurité de l'AMI", track="security")
    Criterion.objects.create(
        grid=grid, code="S1", label="Hébergement", evidence_keys=["securite.host_name"]
    )
    return grid


@pytest.fixture
def small_call(calls_index):
    form = build_form(
        "Formulaire court",
        [section("projet", "Projet", [question("title", "Titre", required=True)])],
    )
    now = timezone.now()
    return make_call(
        calls_index,
        opens_at=now,
        cutoffs=[now + timedelta(days=30)],
        tracks=("security",),
        application_form=form,
    )


CALL_GRID_ADD = "wagtailsnippets_ethics_callgrid:add"


def call_grid_data(call, grid) -> dict:
    return {
        "call": str(call.pk),
        "grid": str(grid.pk),
        "weights": "{}",
        "reviewers_per_application": "2",
        "disagreement_threshold": "25",
    }


@pytest.mark.django_db
def test_a_grid_citing_a_question_the_call_does_not_ask_is_refused(admin_client, small_call, grid):
    response = admin_client.post(reverse(CALL_GRID_ADD), call_grid_data(small_call, grid))
    assert response.status_code == 200
    assert "cite des réponses absentes du formulaire de l'appel : securite.host_name" in page_text(
        response
    )
    assert not CallGrid.objects.exists()

    # The same grid fits a call on the reference form, which asks for the host.
    now = timezone.now()
    reference_call = make_call(
        small_call.get_parent().specific,
        opens_at=now,
        cutoffs=[now + timedelta(days=30)],
        tracks=("security",),
    )
    response = admin_client.post(reverse(CALL_GRID_ADD), call_grid_data(reference_call, grid))
    assert response.status_code == 302
    assert CallGrid.objects.filter(call=reference_call).exists()


@pytest.mark.django_db
def test_removing_a_question_a_grid_cites_is_refused(admin_client, calls_index, grid):
    securite = posted_section("securite", "Sécurité", [short("host_name", "Hébergeur")])
    admin_client.post(reverse(ADD), form_data("Formulaire sécurité", [securite]))
    form = ApplicationForm.objects.get()
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now,
        cutoffs=[now + timedelta(days=30)],
        tracks=("security",),
        application_form=form,
    )
    assert admin_client.post(reverse(CALL_GRID_ADD), call_grid_data(call, grid)).status_code == 302

    renamed = posted_section("securite", "Sécurité", [short("hosting", "Hébergeur")])
    response = admin_client.post(
        reverse(EDIT, args=[form.pk]), form_data("Formulaire sécurité", [renamed])
    )
    assert response.status_code == 200
    assert "securite.host_name" in page_text(response)
    # Nothing saved: the form still asks the question the grid cites.
    form.refresh_from_db()
    assert form.versions.count() == 1
    assert "host_name" in str(form.newest_version().definition)


@pytest.mark.django_db
def test_programme_officers_build_forms_applicants_do_not(client):
    officer = get_user_model().objects.create_user("officer", "officer@example.org", "x" * 12)
    officer.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    client.force_login(officer)
    response = client.post(reverse(ADD), form_data("AMI IA 2027", GOOD_SECTIONS))
    assert response.status_code == 302
    assert ApplicationForm.objects.filter(name="AMI IA 2027").exists()

    applicant = get_user_model().objects.create_user("someone", "someone@example.org", "x" * 12)
    client.force_login(applicant)
    response = client.post(reverse(ADD), form_data("Intrus", GOOD_SECTIONS))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ApplicationForm.objects.filter(name="Intrus").exists()


@pytest.mark.django_db
def test_a_call_cannot_switch_to_a_form_its_grids_do_not_fit(admin_client, calls_index, grid):
    operator = OperatorFactory()
    assert post_new_call(admin_client, calls_index, call_form(operator)).status_code == 302
    call = CallPage.objects.get(slug="sante-mentale")
    CallGrid.objects.create(call=call, grid=grid)
    short_form = build_form("Formulaire court", [section("projet", "Projet", [question("t", "T")])])

    data = call_form(operator, application_form=str(short_form.pk))
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(call.pk,)), data)
    assert response.status_code == 200
    assert "cite des réponses absentes du formulaire de l'appel : securite.host_name" in page_text(
        response
    )
    call.refresh_from_db()
    assert call.application_form is None
