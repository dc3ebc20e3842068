"""Editing a review grid in the Wagtail admin is checked against the forms of the calls that
use it: a criterion may not cite an answer a call's form lacks (the rule applied when a form
is edited, the other way round). The refusal names the call and the keys, on the criterion's
field, and nothing is saved."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ethics.models import CallGrid, ReviewGrid

from ..application_form_data import build_form, question, section
from ..factories import make_call
from ..grants_factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(calls_index):
    """A grid citing the project's title, used by a call whose own form has no security
    section."""
    grid = ReviewGrid.objects.create(name="Grille maison", track="ethics")
    grid.criteria.create(code="E1", label="Finalité", evidence_keys=["projet.title"])
    form = build_form("Formulaire court", [section("projet", "Projet", [question("title", "T")])])
    now = timezone.now()
    call = make_call(
        calls_index,
        title="AMI Prévention",
        opens_at=now - timedelta(days=1),
        cutoffs=[now + timedelta(days=30)],
        tracks=("ethics",),
        application_form=form,
    )
    CallGrid.objects.create(call=call, grid=grid)
    return grid


def edit(client, grid: ReviewGrid, evidence_keys: list[str], label: str = "Finalité"):
    criterion = grid.criteria.get()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse(ReviewGrid.snippet_viewset.get_url_name("edit"), args=[grid.pk])
    return client.post(
        url,
        {
            "name": grid.name,
            "track": grid.track,
            "description": "",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-id": str(criterion.pk),
            "criteria-0-code": "E1",
            "criteria-0-label": label,
            "criteria-0-guidance": "",
            "criteria-0-evidence": "",
            "criteria-0-evidence_keys": json.dumps(evidence_keys),
            "criteria-0-weight": "1",
            "criteria-0-scale": "score_0_5",
            "criteria-0-ORDER": "1",
            "criteria-0-DELETE": "",
        },
    )


def test_a_criterion_citing_an_answer_a_calls_form_lacks_is_refused(client, grid):
    response = edit(client, grid, ["projet.title", "securite.host_name"], label="Nouveau")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert (
        "Le formulaire de l'appel « AMI Prévention » n'a pas ces réponses : securite.host_name."
    ) in page
    assert "rien n'a été enregistré" in page
    criterion = grid.criteria.get()
    assert (criterion.label, criterion.evidence_keys) == ("Finalité", ["projet.title"])


def test_a_criterion_citing_what_the_forms_have_is_saved(client, grid):
    response = edit(client, grid, ["projet", "projet.title"], label="Finalité du projet")
    assert response.status_code == 302
    criterion = grid.criteria.get()
    assert (criterion.label, criterion.evidence_keys) == (
        "Finalité du projet",
        ["projet", "projet.title"],
    )


def test_a_grid_no_call_uses_may_cite_any_known_answer(client, grid):
    CallGrid.objects.filter(grid=grid).delete()
    response = edit(client, grid, ["securite.host_name"])
    assert response.status_code == 302
    assert grid.criteria.get().evidence_keys == ["securite.host_name"]
