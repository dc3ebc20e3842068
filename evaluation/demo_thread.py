"""Demo messages (loaded after the funding demo, by ``load_demo``): Domicare's applicant
writes to the programme with a file, so the officer sees an unread message in the queue; the
programme writes to the demo applicant about their latest submitted application, so
``candidat@ruche.local`` sees an unread count on their dashboard. Idempotent: a thread that
holds messages is left alone."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from core.refusals import Refused
from grants.models import Application

from .demo import _pdf
from .thread import Side, post_message


def _staff_for(application: Application):
    """The demo officer if they run the call, else the programme direction."""
    for email in ("instructeur@ruche.local", "direction@ruche.local"):
        user = get_user_model().objects.filter(email=email).first()
        if user and Application.objects.handled_by(user).filter(pk=application.pk).exists():
            return user
    return None


def load_demo_threads() -> list[str]:
    written = []
    domicare = Application.objects.submitted().filter(project_title="Domicare").first()
    if domicare is not None and not domicare.messages.exists():
        author = domicare.created_by
        attestation = ContentFile(_pdf("Attestation d'hébergement HDS"), name="attestation-hds.pdf")
        post_message(
            domicare,
            author,
            Side.APPLICANT,
            "Bonjour, notre hébergeur de données de santé a renouvelé sa certification HDS "
            "le mois dernier : vous trouverez la nouvelle attestation ci-jointe.",
            [attestation],
        )
        written.append(domicare.project_title)
    candidate = get_user_model().objects.filter(email="candidat@ruche.local").first()
    latest = (
        Application.objects.of_user(candidate).submitted().order_by("-submitted_at").first()
        if candidate
        else None
    )
    staff = _staff_for(latest) if latest is not None else None
    if latest is not None and staff is not None and not latest.messages.exists():
        try:
            post_message(
                latest,
                staff,
                Side.STAFF,
                "Bonjour, pourriez-vous nous préciser le calendrier de recrutement des deux "
                "ingénieurs prévus au budget ? Une réponse courte suffit, ici même.",
            )
        except Refused:  # an anonymised application: no thread
            return written
        written.append(latest.project_title)
    return written
