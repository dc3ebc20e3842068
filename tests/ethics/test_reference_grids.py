"""The reference grids shipped with Ruche, their loading, and their edition in the Wagtail admin."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from ethics.admin_forms import CallGridForm
from ethics.models import (
    CallGrid,
    Criterion,
    CriterionRating,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    ReviewGrid,
)
from ethics.models.grids import SECTION_PARTS, evidence_label, validate_evidence_keys
from ethics.reference_grids import REFERENCE_GRIDS, load_reference_grids
from grants.questions import ATTACHMENT_SLOTS_BY_KEY, SECTIONS_BY_SLUG
from tests.factories import make_call, paris
from tests.grants_factories import UserFactory, complete_application

EXPECTED_COUNTS = {
    "ethics": 13,
    "security": 10,
    "interoperability": 11,
    "innovation": 5,
    "hearing": 4,
}


def grids_by_track() -> dict[str, ReviewGrid]:
    return {grid.track: grid for grid in load_reference_grids()}


def criterion(track: str, code: str) -> Criterion:
    return Criterion.objects.get(grid__is_reference=True, grid__track=track, code=code)


def put_in_use(grid: ReviewGrid, calls_index) -> CallGrid:
    """A call using the grid, and one submitted review on it."""
    call = make_call(calls_index, opens_at=paris(2026, 1, 5, 9), cutoffs=[paris(2026, 3, 2, 12)])
    call_grid = CallGrid.objects.create(call=call, grid=grid)
    application = complete_application(call)
    expert = UserFactory()
    assignment = ReviewAssignment.objects.create(
        application=application, track=grid.track, reviewer=expert, assigned_by=expert
    )
    Review.objects.create(assignment=assignment, grid=grid, status=Review.Status.SUBMITTED)
    assert grid.is_in_use
    return call_grid


# -- Data and loading -----------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_creates_each_grid_once():
    first = load_reference_grids()
    second = load_reference_grids()
    assert [g.pk for g in first] == [g.pk for g in second]
    assert ReviewGrid.objects.count() == 5
    counts = {grid.track: grid.criteria.count() for grid in ReviewGrid.objects.all()}
    assert counts == EXPECTED_COUNTS
    assert Criterion.objects.count() == sum(EXPECTED_COUNTS.values())
    for grid in second:
        assert grid.is_reference and grid.version == 1
        # A working model inspired by the doctrine, never presented as the official grid.
        assert "inspirée de" in grid.name
        assert "pas une grille officielle" in grid.description


@pytest.mark.django_db
def test_management_command_prints_the_grids(capsys):
    call_command("load_reference_grids")
    out = capsys.readouterr().out
    assert "Éthique (inspirée de la doctrine du numérique en santé) (v1) : 13 critères" in out
    assert "5 grilles de référence à jour." in out


def test_every_evidence_key_names_a_question_or_an_attachment_slot():
    for grid in REFERENCE_GRIDS:
        codes = [c.code for c in grid.criteria]
        assert len(codes) == len(set(codes)), grid.name
        for data in grid.criteria:
            assert data.evidence_keys, data.code
            for key in data.evidence_keys:
                if key.startswith("piece:"):
                    assert key.removeprefix("piece:") in ATTACHMENT_SLOTS_BY_KEY, (data.code, key)
                else:
                    # A question, a whole section, or a part of the team or budget tables.
                    slug, _dot, name = key.partition(".")
                    section = SECTIONS_BY_SLUG[slug]
                    names = {q.key for q in section.questions}
                    names |= set(SECTION_PARTS.get(section.kind, ()))
                    assert not name or name in names, (data.code, key)
                assert evidence_label(key), key


@pytest.mark.django_db  # keys of staff-built forms are read from the database
def test_unknown_evidence_keys_are_refused():
    validate_evidence_keys(
        [
            "securite.host_name",
            "piece:hds_certificate",
            "equipe",
            "budget.lines",
            "organisation.siren",
        ]
    )
    wrongs = (["securite.nothing"], ["piece:nothing"], ["equipe.lines"], ["organisation.x"], "a")
    for wrong in (*wrongs, ["nothing"], ["projet.members"]):
        with pytest.raises(ValidationError):
            validate_evidence_keys(wrong)


@pytest.mark.django_db
def test_weights_scales_and_blocking_flags_follow_the_working_model():
    load_reference_grids()
    e3 = criterion("ethics", "E3")
    assert (e3.scale, e3.blocking, e3.weight, e3.allows_not_applicable) == (
        "compliance",
        True,
        3,
        False,
    )
    s1 = criterion("security", "S1")
    assert (s1.scale, s1.blocking, s1.allows_not_applicable, s1.weight) == (
        "compliance",
        True,
        True,
        3,
    )
    i1 = criterion("interoperability", "I1")
    assert (i1.scale, i1.blocking, i1.allows_not_applicable, i1.weight) == (
        "compliance",
        True,
        True,
        3,
    )
    e5 = criterion("ethics", "E5")
    assert (e5.scale, e5.allows_not_applicable, e5.blocking, e5.weight) == (
        "score_0_5",
        True,
        False,
        2,
    )
    # Refinements from the doctrine: granular consent and qualified INS are blocking.
    assert criterion("ethics", "E11").blocking and criterion("interoperability", "I9").blocking
    assert criterion("interoperability", "I2").weight == 3
    assert not Criterion.objects.filter(grid__track="innovation", blocking=True).exists()
    assert list(criterion("ethics", "E1").grid.criteria.values_list("code", flat=True))[:3] == [
        "E1",
        "E2",
        "E3",
    ]


@pytest.mark.django_db
def test_reloading_restores_an_unused_grid_in_place():
    ethics = grids_by_track()["ethics"]
    ethics.criteria.filter(code="E1").update(weight=9)
    ethics.criteria.filter(code="E13").delete()
    assert grids_by_track()["ethics"].pk == ethics.pk
    assert criterion("ethics", "E1").weight == 3
    assert ethics.criteria.count() == 13


@pytest.mark.django_db
def test_reloading_never_changes_a_grid_in_use(calls_index):
    security = grids_by_track()["security"]
    call_grid = put_in_use(security, calls_index)
    # Identical to the shipped data: nothing happens.
    assert grids_by_track()["security"].pk == security.pk
    # Different (an older Ruche shipped weight 1): a new version, the old one untouched.
    security.criteria.filter(code="S3").update(weight=1)
    reloaded = grids_by_track()["security"]
    assert reloaded.pk != security.pk
    assert (reloaded.version, reloaded.previous, reloaded.is_reference) == (2, security, True)
    assert reloaded.criteria.get(code="S3").weight == 2
    assert security.criteria.get(code="S3").weight == 1
    # The running call keeps the version its reviews used.
    call_grid.refresh_from_db()
    assert call_grid.grid == security
    assert grids_by_track()["security"].pk == reloaded.pk


@pytest.mark.django_db
def test_criteria_created_through_the_grid_are_saved():
    grid = ReviewGrid.objects.create(name="Grille maison", track="ethics")
    grid.criteria.create(code="X1", label="Un critère")
    assert Criterion.objects.filter(grid=grid, code="X1").exists()


# -- Wagtail admin --------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def edit_url(grid: ReviewGrid) -> str:
    return reverse(ReviewGrid.snippet_viewset.get_url_name("edit"), args=[grid.pk])


def grid_form_data(grid: ReviewGrid, **label_changes: str) -> dict:
    """The edit form as the admin posts it, with some criteria relabelled."""
    criteria = list(grid.criteria.all())
    data = {
        "name": grid.name,
        "track": grid.track,
        "description": grid.description,
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(criteria):
        prefix = f"criteria-{i}-"
        data |= {
            prefix + "id": str(c.pk),
            prefix + "code": c.code,
            prefix + "label": label_changes.get(c.code, c.label),
            prefix + "guidance": c.guidance,
            prefix + "evidence": c.evidence,
            prefix + "evidence_keys": json.dumps(c.evidence_keys),
            prefix + "weight": str(c.weight),
            prefix + "scale": c.scale,
            prefix + "ORDER": str(i + 1),
            prefix + "DELETE": "",
        }
        if c.allows_not_applicable:
            data[prefix + "allows_not_applicable"] = "on"
        if c.blocking:
            data[prefix + "blocking"] = "on"
    return data


@pytest.mark.django_db
def test_admin_lists_grids_and_call_grids(admin_client):
    grids_by_track()
    page = admin_client.get(reverse(ReviewGrid.snippet_viewset.get_url_name("list")))
    assert page.status_code == 200
    assert "Grille de référence — Sécurité" in page.content.decode()
    assert "Interopérabilité" in page.content.decode()
    for view in ("list", "add"):
        url = reverse(CallGrid.snippet_viewset.get_url_name(view))
        assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_staff_edit_an_unused_grid_with_its_criteria(admin_client):
    ethics = grids_by_track()["ethics"]
    assert admin_client.get(edit_url(ethics)).status_code == 200
    response = admin_client.post(edit_url(ethics), grid_form_data(ethics, E2="Transparence"))
    assert response.status_code == 302
    assert ethics.criteria.get(code="E2").label == "Transparence"
    assert ethics.criteria.count() == 13


@pytest.mark.django_db
def test_a_grid_in_use_cannot_be_edited_in_the_admin(admin_client, calls_index):
    ethics = grids_by_track()["ethics"]
    put_in_use(ethics, calls_index)
    before = list(ethics.criteria.values_list("code", "label", "weight"))

    page = admin_client.get(edit_url(ethics)).content.decode()
    assert "Créer une nouvelle version" in page

    response = admin_client.post(edit_url(ethics), grid_form_data(ethics, E2="Transparence"))
    assert response.status_code == 200
    assert "elle ne peut plus être modifiée" in response.content.decode()
    assert list(ethics.criteria.values_list("code", "label", "weight")) == before


@pytest.mark.django_db
def test_a_rated_criterion_cannot_be_deleted(admin_client, calls_index):
    ethics = grids_by_track()["ethics"]
    call_grid = put_in_use(ethics, calls_index)
    review = Review.objects.get()
    review.status = Review.Status.DRAFT  # a draft: the grid is not in use, but E13 is rated
    review.save()
    CriterionRating.objects.create(review=review, criterion=ethics.criteria.get(code="E13"))
    data = grid_form_data(ethics)
    data["criteria-12-DELETE"] = "1"
    response = admin_client.post(edit_url(ethics), data)
    assert response.status_code == 200
    assert "ne peuvent pas être supprimés : E13" in response.content.decode()
    assert ethics.criteria.count() == 13
    assert call_grid.grid == ethics


@pytest.mark.django_db
def test_new_version_copies_the_criteria_and_repoints_the_calls(admin_client, calls_index):
    ethics = grids_by_track()["ethics"]
    call_grid = put_in_use(ethics, calls_index)
    url = reverse(ReviewGrid.snippet_viewset.get_url_name("new_version"), args=[ethics.pk])
    assert admin_client.get(url).status_code == 405  # an action, not a page

    response = admin_client.post(url)
    copy = ReviewGrid.objects.get(previous=ethics)
    assert response.status_code == 302 and response.url == edit_url(copy)
    assert (copy.version, copy.is_reference, copy.is_in_use) == (2, False, False)
    assert list(copy.criteria.values_list("code", "weight", "scale", "blocking")) == list(
        ethics.criteria.values_list("code", "weight", "scale", "blocking")
    )
    call_grid.refresh_from_db()
    assert call_grid.grid == copy
    # The copy is editable; the submitted review keeps its version.
    response = admin_client.post(edit_url(copy), grid_form_data(copy, E2="Transparence"))
    assert response.status_code == 302
    assert Review.objects.get().grid == ethics
    assert ethics.criteria.get(code="E2").label != "Transparence"
    # A second copy of the same version is not made: staff are sent to the existing one.
    response = admin_client.post(url)
    assert response.url == edit_url(copy)
    assert ReviewGrid.objects.filter(name=ethics.name).count() == 2


@pytest.mark.django_db
def test_call_grid_form_checks_track_and_weights(calls_index):
    grids = grids_by_track()
    call = make_call(
        calls_index,
        opens_at=paris(2026, 1, 5, 9),
        cutoffs=[paris(2026, 3, 2, 12)],
        tracks=("ethics", "security"),
    )

    form_class = CallGrid.snippet_viewset.get_form_class()
    assert issubclass(form_class, CallGridForm)

    def form(grid, weights):
        return form_class(
            data={
                "call": call.pk,
                "grid": grid.pk,
                "weights": json.dumps(weights),
                "reviewers_per_application": "2",
                "disagreement_threshold": "25",
                "show_other_reviews": "on",
            },
            instance=CallGrid(),
        )

    assert form(grids["ethics"], {"E1": 4}).is_valid()
    assert "grid" in form(grids["innovation"], {}).errors
    assert "weights" in form(grids["ethics"], {"Z9": 1}).errors
    assert "weights" in form(grids["ethics"], {"E1": -1}).errors
    CallGrid.objects.create(call=call, grid=grids["ethics"])
    assert "grid" in form(grids["ethics"], {}).errors


# -- Demo -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_reviews_are_loaded_once():
    def counts():
        return (
            ReviewGrid.objects.count(),
            Criterion.objects.count(),
            CallGrid.objects.count(),
            ReviewerProfile.objects.count(),
            ReviewAssignment.objects.count(),
        )

    call_command("load_demo", "--applicant-password", "demo-123456")
    first = counts()
    call_command("load_demo", "--applicant-password", "demo-123456")
    assert counts() == first
    assert first[:2] == (5, 43)
    # The application waiting in ethics review is the ethics expert's to write.
    waiting = ReviewAssignment.objects.get(application__status="ethics_review")
    assert waiting.reviewer.email == "expert.ethique@expertise.example"
    profiles = {p.user.email: p.tracks for p in ReviewerProfile.objects.all()}
    assert profiles == {
        "expert.ethique@expertise.example": ["ethics", "innovation"],
        "expert.securite@expertise.example": ["security"],
        "expert.interop@expertise.example": ["interoperability"],
    }
    # Every demo call has a grid for each track it requires (innovation included).
    for call_grid in CallGrid.objects.select_related("call", "grid"):
        assert call_grid.call.requires_track(call_grid.grid.track)
    tracks = set(CallGrid.objects.values_list("grid__track", flat=True))
    assert tracks == set(EXPECTED_COUNTS)
