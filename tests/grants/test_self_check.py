"""A visitor checks their eligibility on a call's page, without an account and without anything
stored; the same rules then judge the application at submission."""

import html
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from evaluation.services import submit_application
from grants.models import Application

from ..factories import make_call
from ..grants_factories import OrganisationFactory, add_member, complete_application


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        max_amount_per_project=300_000,
        eligible_organisation_sizes=["startup", "sme"],
        aid_rate_percent=50,
    )


def check(client, call, **answers):
    response = client.get(reverse("grants:self_check", args=[call.pk]), answers)
    return response, html.unescape(response.content.decode())


ELIGIBLE = {
    "organisation_size": "startup",
    "amount_requested": "200000",
    "total_cost": "500000",
    "hosts_health_data": "yes",
    "has_hds_certificate": "yes",
}


@pytest.mark.django_db
def test_an_eligible_visitor_is_told_so_without_an_account_and_nothing_is_stored(client, call):
    call_page = html.unescape(client.get(call.url).content.decode())
    assert "Suis-je éligible ?" in call_page
    response, page = check(client, call, **ELIGIBLE)
    assert response.status_code == 200
    assert "Votre projet semble éligible" in page
    assert "Vérifié au dépôt" in page  # the SIRET and the attachments
    assert not Application.objects.exists() and not Session.objects.exists()


@pytest.mark.django_db
def test_each_failed_rule_says_why(client, call):
    _response, page = check(
        client,
        call,
        organisation_size="large",
        amount_requested="400000",
        total_cost="600000",
        hosts_health_data="yes",
        has_hds_certificate="no",
    )
    assert "ne remplit pas toutes les conditions" in page
    assert "L'appel est réservé aux catégories suivantes : Start-up, PME." in page
    assert "dépasse le plafond de l'appel (300" in page
    assert "dépasse 50 % du coût total" in page
    assert "certifié HDS" in page


@pytest.mark.django_db
def test_missing_answers_are_named(client, call):
    response, page = check(client, call, organisation_size="sme", hosts_health_data="yes")
    assert response.status_code == 200
    assert "Il manque des réponses" in page
    for label in ("Aide demandée", "Coût total du projet", "certifié HDS"):
        assert label in page.split("Il manque des réponses")[1].split("</ul>")[0], label
    assert "Votre projet semble éligible" not in page


@pytest.mark.django_db
def test_the_same_rules_judge_the_application_at_submission(call):
    """The size rule the self-check applied is the one stored at submission."""
    application = complete_application(call)
    application.organisation.size = "large"
    application.organisation.save()
    submitted = submit_application(application, application.created_by)
    checks = {c["code"]: c["passed"] for c in submitted.eligibility_checks}
    assert checks["organisation_size"] is False
    assert checks["deadline"] is True and checks["siret"] is True


@pytest.mark.django_db
def test_the_answers_carry_into_the_draft_after_signing_in(client, call):
    # Signed out: the button goes to the sign-in page and back to the same result.
    _response, page = check(client, call, **ELIGIBLE)
    result = reverse("grants:self_check", args=[call.pk])
    assert reverse("account_login") in page and f"{result}?" in page
    assert not Session.objects.exists()

    organisation = OrganisationFactory()
    member = add_member(organisation)
    client.force_login(member)
    _response, page = check(client, call, **ELIGIBLE)
    assert "Déposer un dossier avec ces réponses" in page
    response = client.post(
        reverse("grants:start", args=[call.pk]),
        {"amount_requested": "200000", "hosts_health_data": "yes", "organisation_size": "x"},
    )
    assert response.status_code == 302
    draft = Application.objects.get(organisation=organisation)
    assert draft.section_answers("budget")["amount_requested"] == "200000"
    assert draft.amount_requested == 200_000
    assert draft.section_answers("securite") == {"hosts_health_data": True}

    # Resuming the draft never overwrites what was typed since; nonsense is left out.
    client.post(reverse("grants:start", args=[call.pk]), {"amount_requested": "1"})
    draft.refresh_from_db()
    assert draft.section_answers("budget")["amount_requested"] == "200000"
    other = add_member(OrganisationFactory())
    client.force_login(other)
    client.post(
        reverse("grants:start", args=[call.pk]),
        {"amount_requested": "beaucoup", "hosts_health_data": "peut-être"},
    )
    assert Application.objects.get(created_by=other).answers == {}
