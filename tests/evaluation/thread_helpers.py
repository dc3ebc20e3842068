"""Shared by the thread's tests: the people and the URLs."""

from __future__ import annotations

import html

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import PROGRAMME_STAFF_GROUP

from ..grants_factories import UserFactory, minimal_pdf

QUESTION = "Notre hébergeur de données de santé a changé : voici sa nouvelle attestation."
REPLY = "Merci, l'attestation de l'hébergeur est bien reçue et versée au dossier."


def officer(operator, first_name, last_name):
    user = UserFactory(first_name=first_name, last_name=last_name)
    user.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    operator.staff.add(user)
    return user


def pdf(name="attestation.pdf", text="Attestation HDS"):
    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


def applicant_post(application):
    return reverse("evaluation:message_post", args=[application.pk])


def staff_post(application):
    return reverse("evaluation:staff_message_post", args=[application.pk])


def staff_page(application):
    return reverse("evaluation:application", args=[application.pk])


def followup(application):
    return reverse("evaluation:followup", args=[application.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())
