"""What the applicant answers, section by section: the runtime shape of a call's form.

Staff build each call's form in the Wagtail admin (``cms.models.ApplicationForm``);
``grants.application_forms`` turns a frozen version of it into the ``Section``, ``Question`` and
``AttachmentSlot`` objects below, which the section forms, completeness, the snapshot, the
receipt and the reviewers' view read. The catalogue in this module is the shipped reference
form (``manage.py load_reference_form``) and what a call without a form of its own asks.
Question keys are stable identifiers cited by review grids.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cms.application_form_kinds import (
    AMOUNT,
    CHECK,
    CHOICE,
    DATE,
    DECLARATION,
    EMAIL,
    INTEGER,
    MULTI,
    TEXT,
    TEXTAREA,
    URL,
    YESNO,
)

__all__ = [
    "AMOUNT",
    "CHECK",
    "CHOICE",
    "DATE",
    "DECLARATION",
    "EMAIL",
    "INTEGER",
    "MULTI",
    "TEXT",
    "TEXTAREA",
    "URL",
    "YESNO",
]


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    # Asked (and required) only when another answer of the section has this value (or, for
    # a multiple choice, includes it).
    only_if: tuple[str, object] | None = None
    # A heading and its help shown just before the question (the form's « intertitre »).
    heading: str = ""
    heading_help: str = ""

    def applies(self, answers: dict) -> bool:
        if self.only_if is None:
            return True
        other, expected = self.only_if
        value = answers.get(other)
        if isinstance(value, list):
            return expected in value
        return value == expected


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple[Question, ...] = ()
    # Sections whose data is a table (team, budget) or files are handled by their own forms.
    kind: str = "questions"
    review_track: str | None = None
    help: str = ""


TARGET_USERS = (
    ("patients", _("Patients et aidants")),
    ("professionals", _("Professionnels de santé")),
    ("establishments", _("Établissements de santé")),
    ("medico_social", _("Secteur médico-social")),
)
TRL = tuple((str(n), _("TRL %(n)s") % {"n": n}) for n in range(1, 10))
AUTHENTICATION = (
    ("psc", _("Pro Santé Connect / e-CPS")),
    ("other_strong", _("Autre authentification forte")),
    ("password", _("Identifiant et mot de passe")),
    ("none", _("Pas d'accès professionnel")),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "projet",
        _("Projet"),
        (
            Question("title", _("Titre du projet"), required=True, max_length=200),
            Question("acronym", _("Acronyme"), max_length=30),
            Question(
                "summary",
                _("Résumé"),
                TEXTAREA,
                required=True,
                max_length=1500,
                help=_("1 500 caractères au plus. Public si le projet est financé."),
            ),
            Question("problem", _("Problème adressé"), TEXTAREA, required=True, max_length=5000),
            Question(
                "innovation",
                _("Solution proposée et innovation"),
                TEXTAREA,
                required=True,
                max_length=5000,
            ),
            Question("target_users", _("Utilisateurs visés"), MULTI, True, choices=TARGET_USERS),
            Question("theme", _("Thématique principale"), CHOICE, required=True),
            Question(
                "trl",
                _("Maturité (TRL)"),
                CHOICE,
                required=True,
                choices=TRL,
                help=_("Technology Readiness Level, de 1 (principe) à 9 (solution éprouvée)."),
            ),
            Question(
                "outcomes",
                _("Résultats attendus et mesure"),
                TEXTAREA,
                required=True,
                max_length=5000,
            ),
            Question(
                "duration_months",
                _("Durée (mois)"),
                INTEGER,
                required=True,
                min_value=1,
                max_value=72,
            ),
        ),
    ),
    Section("equipe", _("Équipe et partenaires"), kind="team"),
    Section("budget", _("Budget"), kind="budget"),
    Section(
        "ethique",
        _("Éthique"),
        (
            Question(
                "processes_health_data",
                _("Le service traite-t-il des données de santé à caractère personnel ?"),
                YESNO,
                required=True,
            ),
            Question(
                "business_model",
                _("Modèle économique et usages des données au-delà du soin"),
                TEXTAREA,
                required=True,
                max_length=3000,
            ),
            Question("user_information", _("Information des utilisateurs"), TEXTAREA),
            Question(
                "user_rights",
                _("Exercice des droits (accès, export, suppression)"),
                TEXTAREA,
            ),
            Question(
                "uses_ai",
                _("Le service utilise-t-il une IA ou un algorithme influençant le soin ?"),
                YESNO,
                required=True,
            ),
            Question(
                "ai_oversight",
                _("Supervision humaine, données de validation, mesure des biais"),
                TEXTAREA,
                required=True,
                only_if=("uses_ai", True),
            ),
            Question("accessibility", _("Accessibilité"), TEXTAREA),
            Question("eco_design", _("Écoconception"), TEXTAREA),
            Question(
                "involvement",
                _("Implication des patients et des professionnels"),
                TEXTAREA,
            ),
        ),
        review_track="ethics",
    ),
    Section(
        "securite",
        _("Sécurité"),
        (
            Question(
                "hosts_health_data",
                _("Le service héberge-t-il des données de santé ?"),
                YESNO,
                required=True,
            ),
            Question(
                "host_name",
                _("Hébergeur des données de santé"),
                required=True,
                max_length=200,
                only_if=("hosts_health_data", True),
                help=_("Joignez le certificat HDS de l'hébergeur dans les pièces jointes."),
            ),
            Question("lawful_basis", _("Base légale du traitement (RGPD)"), max_length=300),
            Question("dpo_contact", _("Contact du délégué à la protection des données"), EMAIL),
            Question("dpia_done", _("Une analyse d'impact (AIPD) a-t-elle été menée ?"), YESNO),
            Question("pgssi_s", _("Alignement sur la PGSSI-S"), TEXTAREA),
            Question(
                "professional_authentication",
                _("Authentification des professionnels"),
                CHOICE,
                choices=AUTHENTICATION,
            ),
            Question("encryption", _("Chiffrement en transit et au repos"), TEXTAREA),
            Question("access_logging", _("Traçabilité des accès"), TEXTAREA),
            Question("pentest_date", _("Date du dernier test d'intrusion"), DATE),
            Question("incident_backup", _("Procédures d'incident et de sauvegarde"), TEXTAREA),
            Question("subprocessors", _("Sous-traitants et localisation"), TEXTAREA),
        ),
        review_track="security",
    ),
    Section(
        "interoperabilite",
        _("Interopérabilité"),
        (
            Question(
                "identifies_patients",
                _("Les patients sont-ils identifiés dans le service ?"),
                YESNO,
                required=True,
            ),
            Question(
                "uses_ins",
                _("L'identité nationale de santé (INS) qualifiée est-elle utilisée ?"),
                YESNO,
                required=True,
                only_if=("identifies_patients", True),
            ),
            Question("ci_sis_profiles", _("Profils CI-SIS et ressources FHIR utilisés"), TEXTAREA),
            Question("terminologies", _("Terminologies de référence"), TEXTAREA),
            Question("psc_login", _("Connexion par Pro Santé Connect ?"), YESNO),
            Question("mssante", _("Messagerie sécurisée de santé (MSSanté) ?"), YESNO),
            Question("dmp", _("Alimentation du DMP / référencement Mon espace santé"), TEXTAREA),
            Question("api_documentation", _("Documentation publique de l'API"), URL),
        ),
        review_track="interoperability",
    ),
    Section("pieces", _("Pièces jointes"), kind="attachments"),
    Section(
        "declarations",
        _("Déclarations"),
        (
            Question(
                "accuracy",
                _("J'atteste l'exactitude des informations fournies."),
                DECLARATION,
                required=True,
            ),
            Question(
                "rules",
                _("J'accepte le règlement de l'appel à projets."),
                DECLARATION,
                required=True,
            ),
            Question(
                "publication",
                _("J'accepte la publication des champs publics si le projet est financé."),
                DECLARATION,
                required=True,
            ),
            Question(
                "not_in_difficulty",
                _(
                    "Je déclare sur l'honneur que l'organisation n'est pas une entreprise en "
                    "difficulté au sens de la réglementation européenne des aides d'État."
                ),
                DECLARATION,
                required=True,
            ),
            Question(
                "no_double_funding",
                _(
                    "Je déclare sur l'honneur que les dépenses présentées ne bénéficient d'aucun "
                    "autre financement public."
                ),
                DECLARATION,
                required=True,
            ),
            Question(
                "do_no_significant_harm",
                _(
                    "Je déclare sur l'honneur que le projet respecte le principe « ne pas causer "
                    "de préjudice important » à l'environnement."
                ),
                DECLARATION,
                required=True,
            ),
            Question(
                "not_started",
                _(
                    "Je déclare sur l'honneur que les travaux du projet n'ont pas commencé avant "
                    "le dépôt du dossier."
                ),
                DECLARATION,
                required=True,
            ),
        ),
    ),
)

SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


@dataclass(frozen=True)
class AttachmentSlot:
    """A kind of document the application carries; ``formats`` are FileKind values."""

    key: str
    label: str
    formats: tuple[str, ...] = ("pdf",)
    required: bool = False
    multiple: bool = False
    # Required only when an answer has this value: (section slug, question key, value).
    required_if: tuple[str, str, object] | None = None
    review_track: str | None = None
    # The largest file accepted in this slot; None: the platform's ATTACHMENT_MAX_BYTES.
    max_bytes: int | None = None


ATTACHMENT_SLOTS: tuple[AttachmentSlot, ...] = (
    AttachmentSlot("pitch_deck", _("Pitch deck ou annexe technique"), required=True),
    AttachmentSlot("budget_detail", _("Budget détaillé"), ("xlsx", "ods", "pdf")),
    AttachmentSlot("kbis", _("Extrait Kbis ou équivalent"), required=True),
    AttachmentSlot("support_letters", _("Lettres de soutien"), multiple=True),
    AttachmentSlot(
        "hds_certificate",
        _("Certificat HDS de l'hébergeur"),
        required_if=("securite", "hosts_health_data", True),
        review_track="security",
    ),
    AttachmentSlot("dpia", _("Analyse d'impact (AIPD)"), review_track="security"),
    AttachmentSlot(
        "pentest_summary", _("Synthèse du dernier test d'intrusion"), review_track="security"
    ),
    AttachmentSlot("ethics_self_assessment", _("Auto-évaluation éthique"), review_track="ethics"),
    AttachmentSlot(
        "conformance_reports",
        _("Rapports de tests de conformité (interopérabilité)"),
        multiple=True,
        review_track="interoperability",
    ),
)
ATTACHMENT_SLOTS_BY_KEY = {slot.key: slot for slot in ATTACHMENT_SLOTS}

# The repeatable tables of the team and budget sections, as their rows are cited.
TABLE_LABELS = {
    "members": _("Membres de l'équipe"),
    "partners": _("Partenaires"),
    "lines": _("Dépenses"),
    "cofunding": _("Cofinancements"),
}
