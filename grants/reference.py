"""Reference lists for organisations: French regions, legal forms, company sizes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
