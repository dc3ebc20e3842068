"""The reference grids shipped with Ruche, inspired by the national « doctrine du numérique en
santé » (ethics by design, PGSSI-S, HDS, RGPD, CI-SIS, INS, Pro Santé Connect). A working model,
not the official grids: their names and descriptions say « inspirée de ».

``load_reference_grids()`` creates them, or brings them up to date, and is safe to run again.
A reference grid already used by a submitted review is never changed: a new version is made.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from core.vocabulary import ReviewTrack

from .aggregation import COMPLIANCE
from .grid_data import CriterionData, GridData
from .hearing_grid import HEARING
from .models import Criterion, CriterionRating, ReviewGrid

INSPIRED_BY = (
    "Grille fournie avec Ruche, inspirée de la doctrine du numérique en santé ; ce n'est pas "
    "une grille officielle. Un appel peut adapter les pondérations ; pour modifier les critères, "
    "créez une nouvelle version de la grille."
)
BLOCKING_NOTE = " Critère bloquant : une appréciation « non conforme » fait échouer l'expertise."


def _grid_name(track_label: str) -> str:
    return f"Grille de référence — {track_label} (inspirée de la doctrine du numérique en santé)"


ETHICS = GridData(
    _grid_name("Éthique"),
    ReviewTrack.ETHICS,
    INSPIRED_BY,
    (
        CriterionData(
            "E1",
            "Finalité claire et bénéfice pour les patients ou les professionnels",
            "Le bénéfice en santé est énoncé, plausible et mesurable.",
            "Résumé du projet, utilisateurs visés, résultats attendus et indicateurs de mesure.",
            ("projet.summary", "projet.problem", "projet.target_users", "projet.outcomes"),
            3,
        ),
        CriterionData(
            "E2",
            "Transparence envers les utilisateurs",
            "Les utilisateurs savent ce que fait le service, qui l'exploite, quel est son modèle "
            "économique et quelles sont ses limites.",
            "Notice d'information des utilisateurs, conditions générales d'utilisation.",
            ("ethique.user_information", "ethique.business_model"),
            2,
        ),
        CriterionData(
            "E3",
            "Aucun usage commercial des données de santé",
            "Ni revente des données de santé, ni publicité fondée sur elles, ni usage secondaire "
            "sans base légale." + BLOCKING_NOTE,
            "Réponse sur les usages des données et sur le modèle économique.",
            ("ethique.processes_health_data", "ethique.business_model", "securite.lawful_basis"),
            3,
            COMPLIANCE,
            blocking=True,
        ),
        CriterionData(
            "E4",
            "Maîtrise de leurs données par les utilisateurs",
            "Accès, export, suppression et retrait du consentement sont possibles et simples ; "
            "l'utilisateur peut savoir qui a consulté ses données.",
            "Réponse sur l'exercice des droits, captures d'écran du produit.",
            ("ethique.user_rights", "securite.access_logging", "piece:pitch_deck"),
            2,
        ),
        CriterionData(
            "E5",
            "Supervision humaine des algorithmes",
            "Un professionnel reste dans la boucle pour les décisions cliniques ; les résultats "
            "produits par l'IA sont expliqués. « Sans objet » si le service n'utilise ni IA ni "
            "algorithme influençant le soin.",
            "Réponse sur l'IA, description du parcours clinique.",
            ("ethique.uses_ai", "ethique.ai_oversight"),
            2,
            allows_not_applicable=True,
        ),
        CriterionData(
            "E6",
            "Équité et biais",
            "Les jeux de données et la validation couvrent la population cible ; les biais connus "
            "sont mesurés et corrigés. « Sans objet » sans IA ni algorithme.",
            "Réponse sur l'IA et sa validation, protocole d'étude.",
            ("ethique.uses_ai", "ethique.ai_oversight", "piece:pitch_deck"),
            2,
            allows_not_applicable=True,
        ),
        CriterionData(
            "E7",
            "Accessibilité et inclusion numérique",
            "Conception attentive au RGAA, solutions de repli pour les personnes éloignées du "
            "numérique.",
            "Réponse sur l'accessibilité.",
            ("ethique.accessibility",),
            1,
        ),
        CriterionData(
            "E8",
            "Écoconception",
            "Architecture sobre, empreinte environnementale mesurée, durée de conservation des "
            "données raisonnable.",
            "Réponse sur l'écoconception ; un score d'écoconception obtenu avec un référentiel "
            "reconnu en est une bonne preuve.",
            ("ethique.eco_design",),
            1,
        ),
        CriterionData(
            "E9",
            "Implication des patients et des professionnels",
            "Co-conception, tests auprès des utilisateurs, participation d'associations de "
            "patients.",
            "Équipe et partenaires, méthodologie, lettres de soutien.",
            ("ethique.involvement", "equipe.partners", "piece:support_letters"),
            1,
        ),
        CriterionData(
            "E10",
            "Gouvernance éthique",
            "Une personne ou un comité est désigné, l'auto-évaluation éthique est faite et les "
            "questions soulevées sont suivies.",
            "Auto-évaluation éthique jointe.",
            ("piece:ethics_self_assessment",),
            1,
        ),
        # Refinements from the doctrine.
        CriterionData(
            "E11",
            "Consentement granulaire pour chaque finalité",
            "Tout usage secondaire des données repose sur un consentement distinct pour chaque "
            "finalité ; l'utilisateur qui refuse bénéficie du même service. « Sans objet » en "
            "l'absence d'usage secondaire." + BLOCKING_NOTE,
            "Réponses sur le modèle économique, l'information des utilisateurs et la base légale.",
            ("ethique.business_model", "ethique.user_information", "securite.lawful_basis"),
            2,
            COMPLIANCE,
            allows_not_applicable=True,
            blocking=True,
        ),
        CriterionData(
            "E12",
            "Déclaration des liens et conflits d'intérêts",
            "Les liens d'intérêts du porteur, de ses partenaires et de ses financeurs "
            "(industriels, prescripteurs, établissements) sont déclarés et leur gestion décrite.",
            "Équipe et partenaires, modèle économique, lettres de soutien.",
            ("equipe.partners", "ethique.business_model", "piece:support_letters"),
            1,
        ),
        CriterionData(
            "E13",
            "Éthicovigilance après la mise en service",
            "Les utilisateurs et les professionnels peuvent signaler un problème éthique après "
            "le lancement ; les signalements sont analysés et suivis.",
            "Auto-évaluation éthique, information des utilisateurs.",
            ("piece:ethics_self_assessment", "ethique.user_information"),
            1,
        ),
    ),
)

SECURITY = GridData(
    _grid_name("Sécurité"),
    ReviewTrack.SECURITY,
    INSPIRED_BY,
    (
        CriterionData(
            "S1",
            "Hébergement certifié des données de santé",
            "Les données de santé à caractère personnel sont hébergées exclusivement par un "
            "hébergeur certifié HDS. « Sans objet » si le service n'héberge aucune donnée de "
            "santé." + BLOCKING_NOTE,
            "Réponse sur l'hébergement, certificat HDS de l'hébergeur.",
            ("securite.hosts_health_data", "securite.host_name", "piece:hds_certificate"),
            3,
            COMPLIANCE,
            allows_not_applicable=True,
            blocking=True,
        ),
        CriterionData(
            "S2",
            "Conformité au RGPD et analyse d'impact (AIPD)",
            "Base légale, registre des traitements, délégué à la protection des données. Une "
            "AIPD est exigée dès que le traitement réunit au moins deux critères de risque élevé "
            "retenus au niveau européen ; pour la recherche ou un entrepôt de données de santé, "
            "les référentiels de la CNIL s'appliquent." + BLOCKING_NOTE,
            "Réponses sur le RGPD, AIPD jointe.",
            (
                "securite.lawful_basis",
                "securite.dpo_contact",
                "securite.dpia_done",
                "piece:dpia",
            ),
            3,
            COMPLIANCE,
            blocking=True,
        ),
        CriterionData(
            "S3",
            "Alignement sur la PGSSI-S",
            "Le service applique les référentiels de la PGSSI-S qui le concernent "
            "(identification, authentification, traçabilité).",
            "Réponse sur la sécurité.",
            ("securite.pgssi_s",),
            2,
        ),
        CriterionData(
            "S4",
            "Authentification forte",
            "Les professionnels s'authentifient par Pro Santé Connect / e-CPS ou un moyen "
            "équivalent ; l'authentification multifacteur est imposée aux administrateurs. Le "
            "niveau atteint au regard du référentiel national d'identification électronique est "
            "précisé.",
            "Réponses sur l'authentification des professionnels.",
            ("securite.professional_authentication", "interoperabilite.psc_login"),
            2,
        ),
        CriterionData(
            "S5",
            "Chiffrement",
            "Chiffrement en transit (TLS) et au repos des données sensibles ; gestion des clés.",
            "Réponse sur le chiffrement.",
            ("securite.encryption",),
            2,
            COMPLIANCE,
        ),
        CriterionData(
            "S6",
            "Journalisation et traçabilité",
            "Les accès aux données de santé sont journalisés ; les journaux sont conservés et "
            "revus.",
            "Réponse sur la traçabilité des accès.",
            ("securite.access_logging",),
            1,
        ),
        CriterionData(
            "S7",
            "Gestion des vulnérabilités",
            "Test d'intrusion datant de moins de douze mois, processus de correction, analyse "
            "des dépendances.",
            "Date et synthèse du dernier test d'intrusion.",
            ("securite.pentest_date", "piece:pentest_summary"),
            2,
        ),
        CriterionData(
            "S8",
            "Gestion des incidents et continuité",
            "Procédure de gestion des incidents, signalement aux autorités, sauvegardes testées.",
            "Réponse sur les procédures d'incident et de sauvegarde.",
            ("securite.incident_backup",),
            1,
        ),
        CriterionData(
            "S9",
            "Tiers et sous-traitants",
            "Les sous-traitants sont listés, liés par contrat et situés dans l'Union européenne "
            "lorsque c'est requis.",
            "Réponses sur les sous-traitants et sur le RGPD.",
            ("securite.subprocessors", "securite.lawful_basis"),
            1,
        ),
        # Refinement from the doctrine.
        CriterionData(
            "S10",
            "Certification HDS vérifiable (référentiel de 2024)",
            "Le certificat couvre les activités d'hébergement réellement confiées, les données "
            "sont stockées dans l'Espace économique européen et la cartographie des transferts "
            "de données est publiée. « Sans objet » si le service n'héberge aucune donnée de "
            "santé.",
            "Certificat HDS (périmètre des activités), réponses sur l'hébergeur et les "
            "sous-traitants.",
            (
                "securite.hosts_health_data",
                "securite.host_name",
                "securite.subprocessors",
                "piece:hds_certificate",
            ),
            2,
            COMPLIANCE,
            allows_not_applicable=True,
        ),
    ),
)

INTEROPERABILITY = GridData(
    _grid_name("Interopérabilité"),
    ReviewTrack.INTEROPERABILITY,
    INSPIRED_BY,
    (
        CriterionData(
            "I1",
            "Identité nationale de santé (INS)",
            "Les identités des patients sont qualifiées avec l'INS lorsque le service identifie "
            "des patients. « Sans objet » si le service n'identifie aucun patient." + BLOCKING_NOTE,
            "Réponses sur l'identification des patients et l'usage de l'INS.",
            ("interoperabilite.identifies_patients", "interoperabilite.uses_ins"),
            3,
            COMPLIANCE,
            allows_not_applicable=True,
            blocking=True,
        ),
        CriterionData(
            "I2",
            "Standards du CI-SIS",
            "Les échanges utilisent les profils du CI-SIS (HL7 FHIR, CDA) adaptés au cas d'usage.",
            "Réponse sur les profils CI-SIS, rapports de tests de conformité.",
            ("interoperabilite.ci_sis_profiles", "piece:conformance_reports"),
            3,
        ),
        CriterionData(
            "I3",
            "Terminologies de référence",
            "Les données codées échangées utilisent des terminologies standard (LOINC, "
            "SNOMED CT, CIM-10, ATC). « Sans objet » sans échange de données codées.",
            "Réponse sur les terminologies.",
            ("interoperabilite.terminologies",),
            1,
            allows_not_applicable=True,
        ),
        CriterionData(
            "I4",
            "Pro Santé Connect",
            "Les professionnels peuvent se connecter avec Pro Santé Connect. « Sans objet » si "
            "le service n'a pas d'utilisateurs professionnels.",
            "Réponses sur la connexion des professionnels.",
            ("interoperabilite.psc_login", "securite.professional_authentication"),
            2,
            COMPLIANCE,
            allows_not_applicable=True,
        ),
        CriterionData(
            "I5",
            "Messagerie sécurisée de santé (MSSanté)",
            "Les documents adressés aux professionnels passent par MSSanté. « Sans objet » si le "
            "service n'adresse aucun document à des professionnels.",
            "Réponse sur MSSanté.",
            ("interoperabilite.mssante",),
            1,
            COMPLIANCE,
            allows_not_applicable=True,
        ),
        CriterionData(
            "I6",
            "DMP et Mon espace santé",
            "Les documents utiles alimentent le DMP ; le service peut être référencé au "
            "catalogue de Mon espace santé. « Sans objet » si le service ne produit aucun "
            "document de santé.",
            "Réponse sur le DMP et Mon espace santé.",
            ("interoperabilite.dmp",),
            2,
            allows_not_applicable=True,
        ),
        CriterionData(
            "I7",
            "API ouvertes et portabilité des données",
            "API documentées, export dans des formats ouverts, pas d'enfermement propriétaire.",
            "Documentation de l'API, réponse sur l'export des données.",
            ("interoperabilite.api_documentation", "ethique.user_rights"),
            1,
        ),
        CriterionData(
            "I8",
            "Tests de conformité",
            "Tests passés sur les plateformes nationales de test ; référencement Ségur le cas "
            "échéant. « Sans objet » si aucun test national ne s'applique.",
            "Rapports de tests de conformité.",
            ("piece:conformance_reports",),
            1,
            allows_not_applicable=True,
        ),
        # Refinements from the doctrine.
        CriterionData(
            "I9",
            "INS utilisée seulement une fois l'identité qualifiée",
            "Le matricule INS n'est utilisé et transmis qu'une fois l'identité qualifiée "
            "(vérifiée sur pièce d'identité et auprès du téléservice INSi). « Sans objet » si le "
            "service n'identifie aucun patient." + BLOCKING_NOTE,
            "Réponses sur l'identification des patients et l'usage de l'INS.",
            ("interoperabilite.identifies_patients", "interoperabilite.uses_ins"),
            2,
            COMPLIANCE,
            allows_not_applicable=True,
            blocking=True,
        ),
        CriterionData(
            "I10",
            "Annuaires nationaux (RPPS)",
            "Les professionnels sont identifiés à partir des annuaires nationaux (RPPS) plutôt "
            "que de référentiels locaux. « Sans objet » si le service n'a pas d'utilisateurs "
            "professionnels.",
            "Réponses sur la connexion et l'identification des professionnels.",
            ("interoperabilite.psc_login", "securite.professional_authentication"),
            1,
            allows_not_applicable=True,
        ),
        CriterionData(
            "I11",
            "Auto-évaluation et plan de convergence",
            "Le porteur a évalué son service au regard de la doctrine du numérique en santé et "
            "présente un plan de convergence daté pour chaque écart.",
            "Annexe technique, rapports de tests de conformité.",
            ("interoperabilite.ci_sis_profiles", "piece:pitch_deck", "piece:conformance_reports"),
            1,
        ),
    ),
)

INNOVATION = GridData(
    "Grille de référence — Innovation et impact (inspirée des appels de la stratégie "
    "« Santé numérique »)",
    ReviewTrack.INNOVATION,
    "Grille fournie avec Ruche, inspirée des critères des appels à projets de la stratégie "
    "d'accélération « Santé numérique » ; ce n'est pas une grille officielle. Un appel peut "
    "adapter les pondérations ; pour modifier les critères, créez une nouvelle version.",
    (
        CriterionData(
            "G1",
            "Degré d'innovation au regard de l'état de l'art",
            "La solution apporte un progrès réel par rapport aux solutions existantes ; la "
            "maturité annoncée est crédible.",
            "Problème adressé, solution proposée, maturité (TRL).",
            ("projet.problem", "projet.innovation", "projet.trl"),
            3,
        ),
        CriterionData(
            "G2",
            "Impact médical ou organisationnel et plan de preuve",
            "L'impact attendu est chiffré et un plan d'évaluation (étude clinique ou "
            "médico-économique) permet de le démontrer.",
            "Résultats attendus et mesure, utilisateurs visés, annexe technique.",
            ("projet.outcomes", "projet.target_users", "piece:pitch_deck"),
            3,
        ),
        CriterionData(
            "G3",
            "Équipe et capacité à réaliser le projet",
            "Les compétences, les partenaires et les moyens sont à la hauteur du projet et de "
            "sa durée.",
            "Équipe et partenaires, durée du projet, lettres de soutien.",
            ("equipe", "projet.duration_months", "piece:support_letters"),
            2,
        ),
        CriterionData(
            "G4",
            "Marché, modèle économique et voie de prise en charge",
            "Le marché est identifié, le modèle économique soutenable et la voie de prise en "
            "charge (par exemple PECAN, LATM) envisagée.",
            "Modèle économique, annexe technique.",
            ("ethique.business_model", "piece:pitch_deck"),
            2,
        ),
        CriterionData(
            "G5",
            "Cohérence du budget avec le programme de travail",
            "Les dépenses sont justifiées, proportionnées et cohérentes avec le calendrier.",
            "Budget, budget détaillé, durée du projet.",
            ("budget", "projet.duration_months", "piece:budget_detail"),
            1,
        ),
    ),
)

REFERENCE_GRIDS: tuple[GridData, ...] = (ETHICS, SECURITY, INTEROPERABILITY, INNOVATION, HEARING)


def _criterion_fields(data: CriterionData, order: int) -> dict:
    return {
        "label": data.label,
        "guidance": data.guidance,
        "evidence": data.evidence,
        "evidence_keys": list(data.evidence_keys),
        "weight": data.weight,
        "scale": data.scale,
        "allows_not_applicable": data.allows_not_applicable,
        "blocking": data.blocking,
        "order": order,
    }


def _matches(grid: ReviewGrid, data: GridData) -> bool:
    fields = list(_criterion_fields(data.criteria[0], 0))
    stored = {c.code: {name: getattr(c, name) for name in fields} for c in grid.criteria.all()}
    shipped = {c.code: _criterion_fields(c, i) for i, c in enumerate(data.criteria, start=1)}
    return (grid.track, grid.description) == (data.track, data.description) and stored == shipped


def _write_criteria(grid: ReviewGrid, data: GridData) -> None:
    for order, criterion in enumerate(data.criteria, start=1):
        Criterion.objects.update_or_create(
            grid=grid, code=criterion.code, defaults=_criterion_fields(criterion, order)
        )
    Criterion.objects.filter(grid=grid).exclude(code__in=[c.code for c in data.criteria]).delete()


def _frozen(grid: ReviewGrid, data: GridData) -> bool:
    """Changing this grid in place would alter a submitted review or drop a rated criterion."""
    removed = grid.criteria.exclude(code__in=[c.code for c in data.criteria])
    return grid.is_in_use or CriterionRating.objects.filter(criterion__in=removed).exists()


def _load_grid(data: GridData) -> ReviewGrid:
    current = (
        ReviewGrid.objects.filter(name=data.name, is_reference=True).order_by("-version").first()
    )
    if current is not None and _matches(current, data):
        return current
    if current is None or not _frozen(current, data):
        grid = current or ReviewGrid(name=data.name, is_reference=True, version=1)
        grid.track, grid.description = data.track, data.description
        grid.save()
    else:
        # The calls keep the version they use: staff switch them to the new one when they wish.
        latest = ReviewGrid.objects.filter(name=data.name).aggregate(v=Max("version"))["v"]
        has_successor = ReviewGrid.objects.filter(previous=current).exists()
        grid = ReviewGrid.objects.create(
            name=data.name,
            track=data.track,
            description=data.description,
            version=latest + 1,
            previous=None if has_successor else current,
            is_reference=True,
        )
    _write_criteria(grid, data)
    return grid


@transaction.atomic
def load_reference_grids() -> list[ReviewGrid]:
    """The reference grids, created or brought up to date (idempotent)."""
    return [_load_grid(data) for data in REFERENCE_GRIDS]
