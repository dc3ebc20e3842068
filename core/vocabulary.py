"""Words every app uses: the states of an application, the review tracks and their stages,
French regions, legal forms and organisation sizes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# -- The application's states ----------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    ELIGIBILITY = "eligibility", _("Contrôle d'éligibilité")
    INFO_REQUESTED = "info_requested", _("Complément demandé")
    ETHICS_REVIEW = "ethics_review", _("Expertise éthique")
    SECURITY_REVIEW = "security_review", _("Expertise sécurité")
    INTEROPERABILITY_REVIEW = "interoperability_review", _("Expertise interopérabilité")
    HEARING = "hearing", _("Audition")
    COMMITTEE = "committee", _("Comité de sélection")
    # Outcomes of a two-stage call's first stage (the pre-proposal): a shortlisted project is
    # invited to file its full application, a second Application carried on from there.
    SHORTLISTED = "shortlisted", _("Présélectionné")
    NOT_SHORTLISTED = "not_shortlisted", _("Non présélectionné")
    SELECTED = "selected", _("Retenu")
    FUNDED = "funded", _("Financé")
    INELIGIBLE = "ineligible", _("Irrecevable")
    REJECTED = "rejected", _("Non retenu")
    WITHDRAWN = "withdrawn", _("Retiré")


S = ApplicationStatus

# Plain words for applicants: the inner stages of instruction are not theirs to track.
APPLICANT_WORDING = {
    S.DRAFT: _("Brouillon"),
    S.SUBMITTED: _("Déposé"),
    S.ELIGIBILITY: _("En instruction"),
    S.INFO_REQUESTED: _("Complément demandé"),
    S.ETHICS_REVIEW: _("En instruction"),
    S.SECURITY_REVIEW: _("En instruction"),
    S.INTEROPERABILITY_REVIEW: _("En instruction"),
    # The applicant is invited to the hearing: the stage is theirs to know.
    S.HEARING: _("Audition"),
    S.COMMITTEE: _("En instruction"),
    S.SHORTLISTED: _("Présélectionné"),
    S.NOT_SHORTLISTED: _("Non retenu"),
    S.SELECTED: _("Retenu"),
    S.FUNDED: _("Retenu"),
    S.INELIGIBLE: _("Non retenu"),
    S.REJECTED: _("Non retenu"),
    S.WITHDRAWN: _("Retiré"),
}

# From submission until the committee's decision: the applicant may still withdraw, experts
# may still be lined up.
UNDER_INSTRUCTION = [
    S.SUBMITTED,
    S.ELIGIBILITY,
    S.INFO_REQUESTED,
    S.ETHICS_REVIEW,
    S.SECURITY_REVIEW,
    S.INTEROPERABILITY_REVIEW,
    S.HEARING,
    S.COMMITTEE,
]
# The states an application ends in.
CLOSED_STATES = [
    S.INELIGIBLE,
    S.REJECTED,
    S.WITHDRAWN,
    S.SELECTED,
    S.FUNDED,
    S.SHORTLISTED,
    S.NOT_SHORTLISTED,
]


# -- Review tracks and the stages that run them ----------------------------------------------


class ReviewTrack(models.TextChoices):
    """Specialist review tracks, in the order the workflow runs them."""

    ETHICS = "ethics", _("Éthique")
    SECURITY = "security", _("Sécurité")
    INTEROPERABILITY = "interoperability", _("Interopérabilité")
    INNOVATION = "innovation", _("Innovation et impact")
    # The jury's hearing of the applicant team: jury members are the track's reviewers, seated
    # by the hearing session (evaluation.hearings), not picked from the experts' pool.
    HEARING = "hearing", _("Audition")


# The tracks whose reviewers are experts of the pool (ethics' assignment pages).
EXPERT_TRACKS = [t for t in ReviewTrack if t != ReviewTrack.HEARING]


# The review stages in the order the workflow runs them, with their track.
REVIEW_STAGES = [
    (S.ETHICS_REVIEW, ReviewTrack.ETHICS),
    (S.SECURITY_REVIEW, ReviewTrack.SECURITY),
    (S.INTEROPERABILITY_REVIEW, ReviewTrack.INTEROPERABILITY),
    # After the experts, the shortlisted teams are heard by a jury, before the committee.
    (S.HEARING, ReviewTrack.HEARING),
]
TRACK_OF_STAGE = dict(REVIEW_STAGES)
# From eligibility to the committee, each stage once.
PIPELINE = [S.ELIGIBILITY, *(stage for stage, _track in REVIEW_STAGES), S.COMMITTEE]


# -- Organisations ---------------------------------------------------------------------------


class Region(models.TextChoices):
    """The 18 regions, keyed by their INSEE code."""

    AUVERGNE_RHONE_ALPES = "84", "Auvergne-Rhône-Alpes"
    BOURGOGNE_FRANCHE_COMTE = "27", "Bourgogne-Franche-Comté"
    BRETAGNE = "53", "Bretagne"
    CENTRE_VAL_DE_LOIRE = "24", "Centre-Val de Loire"
    CORSE = "94", "Corse"
    GRAND_EST = "44", "Grand Est"
    HAUTS_DE_FRANCE = "32", "Hauts-de-France"
    ILE_DE_FRANCE = "11", "Île-de-France"
    NORMANDIE = "28", "Normandie"
    NOUVELLE_AQUITAINE = "75", "Nouvelle-Aquitaine"
    OCCITANIE = "76", "Occitanie"
    PAYS_DE_LA_LOIRE = "52", "Pays de la Loire"
    PROVENCE_ALPES_COTE_D_AZUR = "93", "Provence-Alpes-Côte d'Azur"
    GUADELOUPE = "01", "Guadeloupe"
    MARTINIQUE = "02", "Martinique"
    GUYANE = "03", "Guyane"
    LA_REUNION = "04", "La Réunion"
    MAYOTTE = "06", "Mayotte"


class LegalForm(models.TextChoices):
    SAS = "sas", _("SAS")
    SASU = "sasu", _("SASU")
    SA = "sa", _("SA")
    SARL = "sarl", _("SARL")
    EURL = "eurl", _("EURL")
    COOPERATIVE = "coop", _("SCOP / SCIC")
    ASSOCIATION = "association", _("Association loi 1901")
    GIP = "gip", _("Groupement d'intérêt public")
    PUBLIC_BODY = "public", _("Établissement public")
    OTHER = "other", _("Autre")


class OrganisationSize(models.TextChoices):
    STARTUP = "startup", _("Start-up")
    SME = "sme", _("PME")
    MIDCAP = "midcap", _("ETI")
    LARGE = "large", _("Grande entreprise")
    ASSOCIATION = "association", _("Association")
    HEALTH_ESTABLISHMENT = "health_establishment", _("Établissement de santé ou médico-social")
    RESEARCH = "research", _("Organisme de recherche")
