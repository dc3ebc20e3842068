"""A demo applicant so that a newcomer can try the applicant's side at once. Idempotent."""

from __future__ import annotations

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from cms.models import CallPage
from core.vocabulary import ApplicationStatus

from .models import Application, Membership, Organisation

DEMO_EMAIL = "candidat@ruche.local"


@transaction.atomic
def load_demo_applicant(password: str) -> str:
    """An organisation, a verified applicant account and a draft on an open call."""
    user, _ = get_user_model().objects.get_or_create(
        username="candidat", defaults={"email": DEMO_EMAIL, "first_name": "Camille"}
    )
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
    )
    organisation, _ = Organisation.objects.update_or_create(
        siren="901234567",
        defaults={
            "legal_name": "Démo Santé Connectée SAS",
            "siret": "90123456700013",
            "legal_form": "sas",
            "size": "startup",
            "creation_date": date(2021, 3, 15),
            "region": "53",
            "address": "3 quai de la Donnée",
            "postcode": "35000",
            "city": "Rennes",
        },
    )
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.OWNER}
    )
    call = CallPage.objects.references().live().open().order_by("pk").first()
    if call and not Application.objects.filter(organisation=organisation, call=call).exists():
        Application.objects.create(
            call=call,
            organisation=organisation,
            created_by=user,
            project_title="CardioLien",
            answers={"projet": {"title": "CardioLien", "acronym": "CL", "trl": "5"}},
        )
    drafts = Application.objects.filter(organisation=organisation, status=ApplicationStatus.DRAFT)
    return f"{DEMO_EMAIL} ({drafts.count()} brouillon)"
