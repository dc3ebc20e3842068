"""After sign-in each person lands where their work is; errors are pages of the site with a
way back, never a debug page."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from ethics.models import ReviewerProfile
from ruche.errors import server_error

from .grants_factories import UserFactory


def signed_in_as(client, group=None, expert=False):
    user = UserFactory(password="mot-de-passe-solide")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if expert:
        user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
        ReviewerProfile.objects.create(user=user, tracks=["ethics"])
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "mot-de-passe-solide"}
    )
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ({"group": PROGRAMME_WIDE_GROUP}, "evaluation:queues"),
        ({"group": COMMITTEE_GROUP}, "evaluation:committee_sessions"),
        ({"expert": True}, "ethics:assignments"),
        ({}, "grants:dashboard"),
    ],
    ids=["staff", "committee", "expert", "applicant"],
)
def test_sign_in_leads_to_where_the_work_is(client, calls_index, role, expected):
    response = signed_in_as(client, **role)
    assert response.status_code == 302
    assert client.get(response["Location"]).url == reverse(expected)


@pytest.mark.django_db
def test_a_missing_page_is_a_page_of_the_site_with_a_way_back(client, calls_index):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page non trouvée" in page and "fr-header" in page and 'href="/"' in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_a_forbidden_page_says_so_in_the_site_design(client, calls_index):
    signed_in_as(client)
    response = client.get(reverse("evaluation:queues"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page and "fr-header" in page
    assert reverse("landing") in page


def test_the_server_error_page_needs_neither_database_nor_session(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


@pytest.mark.django_db
def test_english_pages_write_colons_the_english_way(client, calls_index):
    """No space before a colon in English (« Référence : » is French typography)."""
    page = client.get("/en/espace/recepisse/verifier/", {"reference": "RUCHE-2026-1"})
    text = page.content.decode()
    assert "SHA-256 fingerprint: " in text  # the error summary's « label: error »
    assert " : " not in text.split("<main", 1)[1]
    french = client.get("/espace/recepisse/verifier/", {"reference": "RUCHE-2026-1"})
    assert "Empreinte SHA-256 : " in french.content.decode()
