"""What the applicant answers, section by section: the questions the programme's calls ask.

The catalogue is data: forms, the list of missing items at submission, the frozen snapshot and
the reviewers' view all read it. Question keys are stable identifiers cited by review grids.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TEXT, TEXTAREA, CHOICE, MULTI, YESNO, CHECK, INTEGER, DATE, URL, EMAIL = (
    "text",
    "textarea",
    "choice",
    "multi",
    "yesno",
    "check",  # a box to tick; "required" means it must be ticked
    "integer",
    "date",
    "url",
    "email",
)


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
    # Asked (and required) only when another answer of the section has this value.
    only_if: tuple[str, object] | None = None

    def applies(self, answers: dict) -> bool:
        if self.only_if is None:
            return True
        other, expected = self.only_if
        return answers.get(other) == expected


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple[Question, ...] = ()
    # Sections whose data is a table (team, budget) or files are handled by their own forms.
    kind: str = "questions"
    review_track: str | None = None


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
                CHECK,
                required=True,
            ),
            Question(
                "rules",
                _("J'accepte le règlement de l'appel à projets."),
                CHECK,
                required=True,
            ),
            Question(
                "publication",
                _("J'accepte la publication des champs publics si le projet est financé."),
                CHECK,
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
