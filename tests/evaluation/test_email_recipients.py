"""One rule says who of a group gets an email (evaluation.emails.wanting_email), used by the
workflow's emails and the thread's alike: active people with an address, not the person who
acted, and for an optional email only those who did not turn it off."""

import pytest
from django.contrib.auth import get_user_model

from evaluation.emails import wanting_email
from evaluation.models import NotificationPreference
from grants.models import Membership

from ..grants_factories import OrganisationFactory, UserFactory, add_member


@pytest.fixture
def team(db):
    organisation = OrganisationFactory()
    people = {
        "alice": add_member(organisation, UserFactory(first_name="Alice")),
        "bob": add_member(organisation, UserFactory(first_name="Bob"), "member"),
        "departed": add_member(organisation, UserFactory(is_active=False)),
        "no_address": add_member(organisation, UserFactory(email="")),
        "quiet": add_member(organisation, UserFactory(first_name="Quentin"), "member"),
    }
    NotificationPreference.objects.create(user=people["quiet"], new_messages=False)
    members = get_user_model().objects.filter(memberships__organisation=organisation)
    return members, people


def test_an_essential_email_reaches_every_active_member_with_an_address(team):
    members, people = team
    assert list(wanting_email(members, None)) == [people["alice"], people["bob"], people["quiet"]]


def test_an_optional_email_skips_who_turned_it_off_and_the_author(team):
    members, people = team
    assert list(wanting_email(members, "new_messages", exclude=people["alice"].pk)) == [
        people["bob"]
    ]
    # Another preference left on: Quentin still gets that email.
    assert people["quiet"] in wanting_email(members, "applicant_updates")


def test_a_person_reached_twice_is_written_to_once(team):
    members, people = team
    second = OrganisationFactory()
    Membership.objects.create(organisation=second, user=people["bob"], role="member")
    both = get_user_model().objects.filter(
        memberships__organisation__in=[people["alice"].memberships.get().organisation, second]
    )
    assert list(wanting_email(both, None)).count(people["bob"]) == 1
