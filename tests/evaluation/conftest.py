"""Fixtures shared by the workflow's tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cms.models import Operator
from evaluation.services import submit_application
from grants.models import Application

from ..factories import make_call
from ..grants_factories import OrganisationFactory, UserFactory, add_member, complete_application
from .thread_helpers import officer


@pytest.fixture
def thread_world(calls_index):
    """One application of CardioLien (Alice owns it, Bob is a member) to a call of one
    operator, led by Claire; her colleague Paul runs the operator's calls too. Another
    operator's officer, another organisation's applicant."""
    now = timezone.now()
    operator = Operator.objects.create(name="Opérateur des messages", acronym="OPM")
    other_operator = Operator.objects.create(name="Autre opérateur des messages")
    call = make_call(
        calls_index,
        operator=operator,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics",),
    )
    organisation = OrganisationFactory(legal_name="CardioLien SAS")
    alice = add_member(organisation, UserFactory(first_name="Alice", last_name="Durand"))
    bob = add_member(organisation, UserFactory(first_name="Bob", last_name="Lemoine"), "member")
    application = submit_application(complete_application(call, organisation, alice), alice)
    claire = officer(operator, "Claire", "Instructrice")
    paul = officer(operator, "Paul", "Collègue")
    Application.objects.filter(pk=application.pk).update(lead_officer=claire)
    application.refresh_from_db()
    stranger_org = OrganisationFactory(legal_name="Autre SAS")
    mail.outbox.clear()
    return {
        "application": application,
        "call": call,
        "alice": alice,
        "bob": bob,
        "claire": claire,
        "paul": paul,
        "other_officer": officer(other_operator, "Oscar", "Ailleurs"),
        "stranger": add_member(stranger_org, UserFactory(first_name="Eve")),
    }
