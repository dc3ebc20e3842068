"""Which version of a call's form an application answers is asked of the form itself
(cms.ApplicationForm.newest_version): the admin's listing and the applicant's draft read the
same version, for each stage of a two-stage call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.application_form_definition import body_from_definition
from cms.models import ApplicationForm
from grants.application_forms import newest_version

from ..application_form_data import build_form, question, section
from ..factories import make_call


def form(name: str, label: str) -> ApplicationForm:
    return build_form(name, [section("projet", "Projet", [question("title", label)])])


@pytest.fixture
def two_stage(calls_index):
    now = timezone.now()
    return make_call(
        calls_index,
        opens_at=now - timedelta(days=1),
        cutoffs=[now + timedelta(days=10)],
        second_stage=[now + timedelta(days=40)],
        application_form=form("Pré-proposition", "Titre court"),
        second_stage_form=form("Dossier complet", "Titre complet"),
    )


@pytest.mark.django_db
def test_each_stage_answers_the_newest_version_of_its_own_form(two_stage):
    first, second = two_stage.application_form, two_stage.second_stage_form
    # Staff edit the full application's form after a submission froze its first version.
    second.versions.update(frozen_at=timezone.now())
    definition = second.newest_version().definition
    definition["sections"][0]["questions"][0]["label"] = "Titre du projet complet"
    second.body = body_from_definition(definition)
    second.save()

    assert newest_version(two_stage, 1) == first.newest_version()
    assert newest_version(two_stage, 2) == second.newest_version()
    assert newest_version(two_stage, 2).number == 2
    assert newest_version(two_stage, 2).form.name == "Dossier complet"


@pytest.mark.django_db
def test_the_query_is_the_forms_own(two_stage, monkeypatch):
    asked = []
    original = ApplicationForm.newest_version

    def spy(self):
        asked.append(self.name)
        return original(self)

    monkeypatch.setattr(ApplicationForm, "newest_version", spy)
    newest_version(two_stage, 1)
    newest_version(two_stage, 2)
    assert asked == ["Pré-proposition", "Dossier complet"]


@pytest.mark.django_db
def test_a_call_without_its_own_form_answers_the_reference(calls_index):
    now = timezone.now()
    call = make_call(calls_index, opens_at=now, cutoffs=[now + timedelta(days=3)])
    assert newest_version(call, 1) is None
    assert newest_version(call, 2) is None
