"""Applying from the English page of a call: the application belongs to the French call (the
programme's reference), the same draft is resumed from either page, and everything keyed by
call (back-office lists, committees, catalogue facets) sees one call."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from cms.models import CallPage
from core.roles import PROGRAMME_WIDE_GROUP
from evaluation.committee_forms import SessionForm
from evaluation.forms import QueueFilterForm
from grants.models import Application
from search.backends import get_backend
from search.params import parse
from search.views.public import facet_labels

from ..factories import make_call, translate
from ..grants_factories import OrganisationFactory, UserFactory, add_member
from ..search.sheets import sheet


@pytest.fixture
def call_in_two_languages(calls_index):
    now = timezone.now()
    french = make_call(
        calls_index,
        title="Télésurveillance en ville",
        opens_at=now - timedelta(days=3),
        cutoffs=[now + timedelta(days=20)],
    )
    translate(calls_index.get_parent(), "home-en", title="Home")
    translate(calls_index, "calls-for-projects", title="Calls for projects")
    english = translate(french, "remote-monitoring", title="Remote monitoring in town")
    return french, english


@pytest.fixture
def applicant(client):
    user = add_member(OrganisationFactory())
    client.force_login(user)
    return user


def apply_from(client, page: CallPage):
    """Press « Déposer un dossier » (or « Reprendre mon brouillon ») on the call's page."""
    html = client.get(page.url).content.decode()
    with translation.override(page.locale.language_code):
        action = reverse("grants:start", args=[page.pk])
    assert f'action="{action}"' in html
    return client.post(action)


@pytest.mark.django_db
def test_applying_from_the_english_page_files_on_the_french_call(
    client, applicant, call_in_two_languages
):
    french, english = call_in_two_languages
    response = apply_from(client, english)
    application = Application.objects.get()
    assert application.call_id == french.pk
    # The applicant stays in English.
    assert response.url == f"/en/espace/candidatures/{application.pk}/sections/projet/"
    section = client.get(response.url).content.decode()
    assert f'<a href="{english.url}">Remote monitoring in town</a>' in section


@pytest.mark.django_db
def test_the_same_draft_is_resumed_from_either_page(client, applicant, call_in_two_languages):
    french, english = call_in_two_languages
    apply_from(client, french)
    assert "Resume my draft" in client.get(english.url).content.decode()
    apply_from(client, english)
    assert Application.objects.count() == 1
    assert "Reprendre mon brouillon" in client.get(french.url).content.decode()
    # The dashboard names the call in the applicant's language.
    assert "Remote monitoring in town" in client.get("/en/espace/").content.decode()
    assert "Télésurveillance en ville" in client.get("/espace/").content.decode()


@pytest.mark.django_db
def test_a_closed_call_refuses_from_its_english_page_and_sends_back_there(
    client, applicant, calls_index
):
    now = timezone.now()
    french = make_call(
        calls_index, title="Clos", opens_at=now - timedelta(days=9), cutoffs=[now - timedelta(1)]
    )
    translate(calls_index.get_parent(), "home-en", title="Home")
    translate(calls_index, "calls-for-projects", title="Calls for projects")
    english = translate(french, "closed-call", title="Closed call")
    response = client.post("/en" + reverse("grants:start", args=[english.pk]))
    assert response.url == english.url
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_back_office_lists_each_call_once(call_in_two_languages):
    french, english = call_in_two_languages
    director = UserFactory()
    director.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    queue_calls = dict(QueueFilterForm(overdue_days=30, user=director).fields["appel"].choices)
    assert french.pk in queue_calls and english.pk not in queue_calls
    assert list(SessionForm(user=director).fields["call"].queryset) == [french]


@pytest.mark.django_db
def test_catalogue_names_the_call_in_the_visitor_language(call_in_two_languages, settings, rf):
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"
    french, _english = call_in_two_languages
    project = sheet("TeleVille")
    project.call, project.call_title = french, french.title
    project.save()
    get_backend().rebuild()
    results = get_backend().search(parse(rf.get(reverse("search:catalogue")).GET).query)
    with translation.override("en"):
        assert facet_labels(results)["call"] == {str(french.pk): "Remote monitoring in town"}
    with translation.override("fr"):
        assert facet_labels(results)["call"] == {str(french.pk): "Télésurveillance en ville"}
