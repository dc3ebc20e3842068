"""What the follow-up registers with the workflow below it (``evaluation.hooks``): it prepares
the convention when an application is funded, names its audit entries in the staff history,
and links the application's pages to the convention's."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from cms import page_cache
from evaluation import hooks

from . import audit_trail
from .models import Convention, PublicProgress, ReportVersion
from .services import conventions


def on_funded(sender, application, by, **kwargs) -> None:
    conventions.generate(application, by)


def staff_links(application, user) -> list[hooks.Link]:
    if not Convention.objects.filter(application=application).exists():
        return []
    return [
        hooks.Link(
            _("Convention et suivi"), reverse("funding:staff_convention", args=[application.pk])
        )
    ]


def applicant_links(application, user) -> list[hooks.Link]:
    convention = Convention.objects.filter(application=application).first()
    if convention is None or not convention.is_public_to_beneficiary:
        return []
    return [
        hooks.Link(
            _("Convention, versements et rapports"),
            reverse("funding:convention", args=[application.pk]),
        )
    ]


def refresh_public_pages(sender, **kwargs) -> None:
    """Project sheets show the convention's status, the published progress and the latest
    accepted report's indicators: anonymous visitors' cached pages are recomputed when any
    of them changes."""
    page_cache.invalidate()


def register() -> None:
    hooks.application_funded.connect(on_funded, dispatch_uid="funding.generate_convention")
    for model in (Convention, PublicProgress, ReportVersion):
        post_save.connect(
            refresh_public_pages, sender=model, dispatch_uid=f"funding.refresh_{model.__name__}"
        )
    hooks.register_entry_labels(audit_trail.entry_label)
    hooks.register_staff_links(staff_links)
    hooks.register_applicant_links(applicant_links)
