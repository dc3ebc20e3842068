"""Builders for the follow-up's tests: a call with its funding terms, the people of a
programme, an application carried to « selected » (or « funded ») through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from evaluation.models import CommitteeSession
from evaluation.services import fire, record_committee_decision, submit_application
from funding.models import Convention, FundingTerms, Indicator
from grants.models import Application

from ..factories import OperatorFactory, make_call
from ..grants_factories import OrganisationFactory, UserFactory, add_member, complete_application

PASSWORD = "mot-de-passe-solide"


def in_group(name: str, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(db):
    organisation = OrganisationFactory(legal_name="Cardio Domicile SAS", region="32")
    owner = UserFactory(first_name="Camille", last_name="Martin")
    add_member(organisation, owner, role="owner")
    return SimpleNamespace(
        organisation=organisation,
        owner=owner,
        staff=in_group(PROGRAMME_WIDE_GROUP, first_name="Sophie", last_name="Instructrice"),
        member=in_group(COMMITTEE_GROUP, first_name="Paul", last_name="Comité"),
    )


def make_terms(call, **fields) -> FundingTerms:
    terms = FundingTerms.objects.create(call=call, **fields)
    Indicator.objects.create(terms=terms, name="Patients suivis", unit="patients", target=500)
    Indicator.objects.create(terms=terms, name="Sites équipés", unit="sites", target=10)
    return terms


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    call = make_call(
        calls_index,
        title="Télésurveillance 2026",
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=(),
        operator=OperatorFactory(name="Bpifrance"),
        budget_envelope=5_000_000,
        max_amount_per_project=500_000,
    )
    # 60 % grant, 40 % repayable advance; 30 % at signature, one progress report, 20 % balance.
    make_terms(call, grant_percent=60, advance_payment_percent=30, balance_percent=20)
    return call


def selected(call, people, amount=Decimal("200000")) -> Application:
    """An application of ``people.organisation`` selected by the committee for ``amount``."""
    application = complete_application(
        call, organisation=people.organisation, user=people.owner, amount=amount + 50_000
    )
    application = submit_application(application, people.owner)
    application = fire(application, "start_eligibility_check", people.staff)
    application = fire(application, "send_to_committee", people.staff, comment="Éligible")
    session = CommitteeSession.objects.create(
        call=call, title="Comité de mars", held_on=timezone.localdate()
    )
    session.members.add(people.member)
    record_committee_decision(application, session, people.member, "selected", "Retenu.", amount)
    return Application.objects.get(pk=application.pk)


def funded(call, people, amount=Decimal("200000")) -> Convention:
    application = fire(selected(call, people, amount), "mark_funded", people.staff)
    return Convention.objects.get(application=application)
