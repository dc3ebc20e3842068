"""Builders for applicants' data: users, organisations, complete applications."""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Application, Attachment, Membership, Organisation

# Real SIREN/SIRET pairs with valid Luhn keys (fictitious companies).
VALID_SIRENS = ["732829320", "552100554", "443061841", "542051180", "356000000"]


def luhn_complete(prefix: str) -> str:
    """Append the digit that makes ``prefix`` pass the Luhn check."""
    for digit in "0123456789":
        candidate = prefix + digit
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@startup{u.username[-1]}.example")
    password = factory.django.Password("mot-de-passe-solide")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Santé Connectée {n} SAS")
    siren = factory.Sequence(lambda n: luhn_complete(f"{81000000 + n:08d}"))
    siret = factory.LazyAttribute(lambda o: luhn_complete(o.siren + "0001"))
    legal_form = "sas"
    size = "startup"
    creation_date = factory.Faker("date_between", start_date="-8y", end_date="-1y")
    region = "11"
    address = "12 rue de la Santé"
    postcode = "75013"
    city = "Paris"


def add_member(organisation: Organisation, user=None, role: str = "owner"):
    user = user or UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


COMPLETE_ANSWERS = {
    "projet": {
        "title": "TeleCardio",
        "acronym": "TC",
        "summary": "Télésurveillance des insuffisants cardiaques à domicile.",
        "problem": "Réhospitalisations évitables.",
        "innovation": "Alertes précoces validées cliniquement.",
        "target_users": ["patients", "professionals"],
        "theme": "telesurveillance-medicale",
        "trl": "6",
        "outcomes": "Baisse de 20 % des réhospitalisations.",
        "duration_months": 24,
    },
    "equipe": {
        "lead": {"name": "Camille Martin", "role": "Présidente", "email": "camille@tc.example"},
        "members": [{"name": "Inès Diallo", "role": "CTO", "skills": "FHIR, sécurité"}],
        "partners": [],
    },
    "budget": {
        "lines": [
            {"category": "staff", "description": "Ingénieurs", "amount": "400000"},
            {"category": "clinical_study", "description": "Étude", "amount": "200000"},
        ],
        "cofunding": [{"source": "Fonds propres", "amount": "300000"}],
        "amount_requested": "250000",
    },
    "ethique": {
        "processes_health_data": True,
        "business_model": "Abonnement des établissements, aucune revente de données.",
        "uses_ai": False,
    },
    "securite": {"hosts_health_data": False},
    "interoperabilite": {"identifies_patients": True, "uses_ins": True},
    "declarations": {
        "accuracy": True,
        "rules": True,
        "publication": True,
        "not_in_difficulty": True,
        "no_double_funding": True,
        "do_no_significant_harm": True,
        "not_started": True,
    },
}


def signed_declarations(role: str = "Présidente", section: str = "declarations") -> dict:
    """What the confirmation page posts when every declaration of the reference form is
    ticked, the signatory's role stated and the submission confirmed."""
    keys = [key for key, value in COMPLETE_ANSWERS["declarations"].items() if value]
    return {
        **{f"declaration__{section}__{key}": "on" for key in keys},
        "role": role,
        "confirm": "yes",
    }


def minimal_pdf(text: str = "Pièce") -> bytes:
    """A small but real PDF, cross-reference table included (what the content checks accept)."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(body), body),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )


def attach(application: Application, slot: str, user, name: str = "piece.pdf") -> Attachment:
    import hashlib

    content = minimal_pdf(f"{slot} {application.pk}")
    return Attachment.objects.create(
        application=application,
        slot=slot,
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )


def complete_application(call, organisation=None, user=None, amount=Decimal("250000")):
    """A draft with every required answer and attachment: ready to submit."""
    organisation = organisation or OrganisationFactory()
    user = user or add_member(organisation)
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=user,
        answers=COMPLETE_ANSWERS,
        project_title=COMPLETE_ANSWERS["projet"]["title"],
        amount_requested=amount,
    )
    attach(application, "pitch_deck", user, "pitch.pdf")
    attach(application, "kbis", user, "kbis.pdf")
    return application


def pdf_is_tagged(pdf: bytes) -> bool:
    """PDF/UA: a structure tree for screen readers, marked content, a language and the
    PDF/UA identifier (read through the compressed object streams WeasyPrint writes)."""
    inflated = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    text = b"".join(inflated)
    return all(key in text for key in (b"/StructTreeRoot", b"/Marked true", b"/Lang", b"pdfuaid"))
