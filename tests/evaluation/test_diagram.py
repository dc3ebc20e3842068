"""The workflow's picture is drawn from the transitions, and shown to programme staff only."""

import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation

from core.roles import PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.diagram import render_svg, workflow_edges, workflow_graph
from evaluation.services import TRANSITION_LABELS
from evaluation.workflow import INFORMATION_SOURCES, ApplicationWorkflow

from ..grants_factories import UserFactory

needs_graphviz = pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")


@pytest.fixture(autouse=True)
def french():
    # A request to an /en/ page earlier in the run may have left English active.
    with translation.override("fr"):
        yield


def test_the_dot_names_every_state_and_every_transition():
    dot = workflow_graph()
    for state in S:
        assert f'"{state.value}" [label="{state.label}"' in dot
    field = ApplicationWorkflow._meta.get_field("status")
    names = {t.name for t in field.get_all_transitions(ApplicationWorkflow)}
    assert names == set(TRANSITION_LABELS)
    for name in names:
        assert f'id="{name}--' in dot
        assert str(TRANSITION_LABELS[name]) in dot


def test_a_transition_that_returns_its_target_leads_to_each_state_it_may_return():
    answers = {(e.source, e.target) for e in workflow_edges() if e.name == "answer_information"}
    assert answers == {(S.INFO_REQUESTED.value, stage.value) for stage in INFORMATION_SOURCES}
    roles = {e.name: e.role for e in workflow_edges()}
    assert roles["submit"] == "candidat"
    assert roles["start_eligibility_check"] == "chargé de mission"
    assert roles["select"] == "comité de sélection"


@needs_graphviz
def test_graphviz_draws_an_svg():
    assert render_svg().lstrip().startswith(("<svg", "<?xml"))


@needs_graphviz
def test_the_command_writes_the_dot_and_the_svg(tmp_path):
    call_command("workflow_diagram", output_dir=str(tmp_path))
    assert (tmp_path / "workflow.dot").read_text(encoding="utf-8") == workflow_graph()
    assert "<svg" in (tmp_path / "workflow.svg").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_page_is_for_programme_staff_only(client):
    assert client.get("/gestion/circuit/").status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get("/gestion/circuit/").status_code == 403

    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    client.force_login(staff)
    response = client.get("/gestion/circuit/")
    assert response.status_code == 200
    html = response.content.decode()
    # The text alternative: every transition, source → target, and who may fire it.
    assert "Description textuelle du circuit" in html
    assert html.count("<tr>") == len(workflow_edges()) + 1
    assert "Commencer le contrôle d&#x27;éligibilité" in html
    if shutil.which("dot"):
        assert '<svg role="img"' in html
        assert "<?xml" not in html
        drawing = client.get("/gestion/circuit/schema.svg")
        assert drawing["Content-Type"].startswith("image/svg+xml")
    client.force_login(UserFactory())
    assert client.get("/gestion/circuit/schema.svg").status_code == 403
