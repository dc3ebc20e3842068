"""Whatever the applicant types survives every save, valid or not.

The pages are posted back exactly as they render, as a browser without JavaScript would, and
as autosave does (it posts the page's form again while the applicant types)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Application

from ..factories import make_call
from ..grants_factories import OrganisationFactory, add_member, luhn_complete
from ..html_forms import form_fields

VALID_SIRET = luhn_complete("7328293200001")


@pytest.fixture
def draft(client, calls_index):
    now = timezone.now()
    call = make_call(
        calls_index, opens_at=now - timedelta(days=1), cutoffs=[now + timedelta(days=9)]
    )
    organisation = OrganisationFactory()
    user = add_member(organisation)
    client.force_login(user)
    return Application.objects.create(call=call, organisation=organisation, created_by=user)


def page_of(client, draft, slug):
    response = client.get(reverse("grants:section", args=[draft.pk, slug]))
    assert response.status_code == 200
    return form_fields(response.content.decode())


def post(client, draft, slug, fields, **extra):
    return client.post(
        reverse("grants:section", args=[draft.pk, slug]), fields, follow=True, **extra
    )


def saved(draft, slug):
    draft.refresh_from_db()
    return draft.answers.get(slug, {})


@pytest.mark.django_db
def test_member_added_beside_an_invalid_siret_survives_the_correction(client, draft):
    fields = page_of(client, draft, "equipe")
    fields.update({"members-0-name": "Alice Martin", "members-0-role": "CTO"})
    post(client, draft, "equipe", {**fields, "save": ""})

    # Alice is saved; the page has a new empty row: Bruno goes there, next to a partner whose
    # SIRET is wrong.
    fields = page_of(client, draft, "equipe")
    fields.update(
        {
            "members-1-name": "Bruno Petit",
            "members-1-role": "Data scientist",
            "partners-0-name": "CHU de Nantes",
            "partners-0-siret": "12345",
        }
    )
    response = post(client, draft, "equipe", {**fields, "save": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "SIRET" in page and "12345" in page

    # The applicant corrects the SIRET on the page they were shown, and saves again.
    fields = form_fields(page)
    fields["partners-0-siret"] = VALID_SIRET
    post(client, draft, "equipe", {**fields, "save": ""})

    team = saved(draft, "equipe")
    assert [m["name"] for m in team["members"]] == ["Alice Martin", "Bruno Petit"]
    assert team["partners"][0]["siret"] == VALID_SIRET


@pytest.mark.django_db
def test_autosave_twice_from_the_same_page_keeps_the_added_row(client, draft):
    fields = page_of(client, draft, "equipe")
    fields.update({"members-0-name": "Alice Martin"})
    post(client, draft, "equipe", {**fields, "save": ""})

    # One page load, then autosave posts the form each time the applicant pauses.
    fields = page_of(client, draft, "equipe")
    fields["members-1-name"] = "Bruno Petit"
    post(client, draft, "equipe", fields, HTTP_X_AUTOSAVE="1")
    fields["lead-name"] = "Claire Durand"
    post(client, draft, "equipe", fields, HTTP_X_AUTOSAVE="1")

    team = saved(draft, "equipe")
    assert [m["name"] for m in team["members"]] == ["Alice Martin", "Bruno Petit"]
    assert team["lead"]["name"] == "Claire Durand"


@pytest.mark.django_db
def test_budget_line_added_while_the_amount_is_refused_survives(client, draft):
    fields = page_of(client, draft, "budget")
    fields.update(
        {
            "lines-0-category": "staff",
            "lines-0-description": "Développement",
            "lines-0-amount": "80000",
        }
    )
    post(client, draft, "budget", {**fields, "save": ""})

    fields = page_of(client, draft, "budget")
    # The first empty line after the saved one, its amount not yet known.
    fields.update({"lines-1-category": "equipment", "lines-1-description": "Serveurs HDS"})
    fields["amount_requested"] = "99999999"  # above the call's cap
    page = post(client, draft, "budget", {**fields, "save": ""}).content.decode()
    assert "dépasse le plafond" in page.replace("&#x27;", "'")

    fields = form_fields(page)
    fields["amount_requested"] = "50000"
    post(client, draft, "budget", {**fields, "save": ""})

    budget = saved(draft, "budget")
    assert [line["description"] for line in budget["lines"]] == ["Développement", "Serveurs HDS"]
    assert budget["amount_requested"] == "50000"


@pytest.mark.django_db
def test_invalid_input_waits_on_the_page_until_corrected(client, draft):
    fields = page_of(client, draft, "equipe")
    fields.update({"partners-0-name": "CHU de Nantes", "partners-0-siret": "12345"})
    post(client, draft, "equipe", fields, HTTP_X_AUTOSAVE="1")

    # The applicant leaves and comes back: the partner's name is saved, the wrong SIRET is
    # still there with its error, and submission lists it as something to correct.
    assert saved(draft, "equipe")["partners"][0]["name"] == "CHU de Nantes"
    response = client.get(reverse("grants:section", args=[draft.pk, "equipe"]))
    page = response.content.decode()
    assert form_fields(page)["partners-0-siret"] == "12345"
    assert "fr-error-text" in page
    review = client.get(reverse("grants:review", args=[draft.pk])).content.decode()
    assert "À corriger" in review

    fields = form_fields(page)
    fields["partners-0-siret"] = VALID_SIRET
    post(client, draft, "equipe", {**fields, "save": ""})
    review = client.get(reverse("grants:review", args=[draft.pk])).content.decode()
    assert "À corriger" not in review
    assert saved(draft, "equipe")["partners"][0]["siret"] == VALID_SIRET


@pytest.mark.django_db
def test_a_row_marked_for_removal_is_removed(client, draft):
    fields = page_of(client, draft, "equipe")
    fields.update({"members-0-name": "Alice Martin", "members-1-name": "Bruno Petit"})
    fields["members-TOTAL_FORMS"] = "2"
    post(client, draft, "equipe", {**fields, "save": ""})

    fields = page_of(client, draft, "equipe")
    fields["members-0-DELETE"] = "on"
    post(client, draft, "equipe", {**fields, "save": ""})
    assert [m["name"] for m in saved(draft, "equipe")["members"]] == ["Bruno Petit"]
