"""The states an application goes through, with staff and applicant wording."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    ELIGIBILITY = "eligibility", _("Contrôle d'éligibilité")
    INFO_REQUESTED = "info_requested", _("Complément demandé")
    ETHICS_REVIEW = "ethics_review", _("Expertise éthique")
    SECURITY_REVIEW = "security_review", _("Expertise sécurité")
    INTEROPERABILITY_REVIEW = "interoperability_review", _("Expertise interopérabilité")
    COMMITTEE = "committee", _("Comité de sélection")
    SELECTED = "selected", _("Retenu")
    FUNDED = "funded", _("Financé")
    INELIGIBLE = "ineligible", _("Irrecevable")
    REJECTED = "rejected", _("Non retenu")
    WITHDRAWN = "withdrawn", _("Retiré")


# Plain words for applicants (facts.md): the inner stages of instruction are not theirs to track.
APPLICANT_WORDING = {
    ApplicationStatus.DRAFT: _("Brouillon"),
    ApplicationStatus.SUBMITTED: _("Déposé"),
    ApplicationStatus.ELIGIBILITY: _("En instruction"),
    ApplicationStatus.INFO_REQUESTED: _("Complément demandé"),
    ApplicationStatus.ETHICS_REVIEW: _("En instruction"),
    ApplicationStatus.SECURITY_REVIEW: _("En instruction"),
    ApplicationStatus.INTEROPERABILITY_REVIEW: _("En instruction"),
    ApplicationStatus.COMMITTEE: _("En instruction"),
    ApplicationStatus.SELECTED: _("Retenu"),
    ApplicationStatus.FUNDED: _("Retenu"),
    ApplicationStatus.INELIGIBLE: _("Non retenu"),
    ApplicationStatus.REJECTED: _("Non retenu"),
    ApplicationStatus.WITHDRAWN: _("Retiré"),
}

# States from which the applicant may still withdraw: before the committee's decision.
WITHDRAWABLE = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBILITY,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.ETHICS_REVIEW,
    ApplicationStatus.SECURITY_REVIEW,
    ApplicationStatus.INTEROPERABILITY_REVIEW,
    ApplicationStatus.COMMITTEE,
]
