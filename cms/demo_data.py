"""Demo content modelled on the calls of the « Santé numérique » programme (France 2030).

Dates and figures are illustrative. Times are Paris wall-clock times.
"""

OPERATORS = [
    {"name": "Bpifrance", "acronym": "Bpifrance", "website": "https://www.bpifrance.fr"},
    {"name": "Agence du numérique en santé", "acronym": "ANS", "website": "https://esante.gouv.fr"},
    {"name": "Agence nationale de la recherche", "acronym": "ANR", "website": "https://anr.fr"},
    {"name": "Caisse des Dépôts", "acronym": "CDC", "website": "https://www.caissedesdepots.fr"},
]

THEMES = [
    "Télésurveillance médicale",
    "Téléconsultation et téléexpertise",
    "Dispositif médical numérique",
    "Intelligence artificielle / aide au diagnostic",
    "Imagerie",
    "Santé mentale",
    "Maladies chroniques",
    "Parcours de soins / e-parcours",
    "Coordination des soins",
    "Médico-social et grand âge",
    "Prévention et santé publique",
    "Données de santé et recherche",
    "Interopérabilité",
    "Cybersécurité",
    "Formation des professionnels",
    "Robotique et chirurgie",
    "Pharmacie et médicament",
    "Santé environnementale",
    "Handicap",
    "Pédiatrie",
    "Oncologie",
    "Cardiologie",
    "Diabète",
    "Soins à domicile",
]

ELIGIBILITY = """
<ul>
<li>Entreprise immatriculée en France (SIRET valide), start-up, PME ou ETI, ou consortium mené par
l'une d'elles.</li>
<li>Entreprise qui n'est pas en difficulté au sens de la réglementation européenne.</li>
<li>Travaux non commencés avant le dépôt du dossier ; dépenses éligibles à compter du lendemain de
la réception du dossier complet.</li>
<li>Pas de double financement public des mêmes dépenses.</li>
<li>Déclaration « ne pas causer de préjudice important » (DNSH) signée.</li>
<li>Dossier complet, au format imposé, toutes les rubriques et tous les tableaux renseignés.</li>
</ul>
"""

STANDARD_CRITERIA = [
    (
        "Caractère innovant de la solution",
        25,
        "Rupture technologique, d'usage ou organisationnelle par rapport à l'état de l'art.",
    ),
    (
        "Impact pour les patients et les professionnels",
        25,
        "Bénéfice attendu, population concernée, indicateurs de mesure.",
    ),
    (
        "Éthique, sécurité et interopérabilité",
        20,
        "Conformité à la doctrine du numérique en santé : éthique dès la conception, PGSSI-S, "
        "HDS, RGPD, CI-SIS, INS, Pro Santé Connect.",
    ),
    (
        "Qualité de l'équipe et des partenariats",
        15,
        "Compétences, implication d'établissements de santé et d'associations de patients.",
    ),
    ("Faisabilité, budget et calendrier", 15, "Réalisme du plan de travail et des coûts."),
]

STANDARD_FAQ = [
    (
        "Puis-je déposer plusieurs projets sur le même appel ?",
        "<p>Oui, à condition que les projets soient distincts. Une organisation ne tient "
        "qu'un brouillon par appel à la fois.</p>",
    ),
    (
        "Quand mes dépenses deviennent-elles éligibles ?",
        "<p>Au lendemain de la réception du dossier complet. Les travaux ne doivent pas avoir "
        "commencé avant le dépôt.</p>",
    ),
    (
        "Que se passe-t-il après une relève ?",
        "<p>Les dossiers déposés avant la relève sont instruits ensemble : recevabilité, "
        "expertises éthique, sécurité et interopérabilité, puis comité de sélection.</p>",
    ),
    (
        "Mon hébergeur doit-il être certifié HDS ?",
        "<p>Oui, dès lors que la solution héberge des données de santé à caractère personnel. Le "
        "certificat de l'hébergeur est demandé dans le dossier.</p>",
    ),
]

ALL_TRACKS = [("ethics", 1), ("security", 1), ("interoperability", 1), ("innovation", 2)]

CALLS = [
    {
        "slug": "tiers-lieux-experimentation",
        "title": "Tiers-lieux d'expérimentation en santé numérique",
        "summary": "Soutenir des lieux où professionnels, patients et entreprises conçoivent et "
        "évaluent ensemble des solutions numériques en conditions réelles.",
        "operator": "Bpifrance",
        "budget_envelope": 45_000_000,
        "max_amount_per_project": 1_500_000,
        "aid_rate_percent": 50,
        "opens_at": "2026-09-01 09:00",
        "cutoffs": [
            (1, "2026-11-05 12:00", "1re relève"),
            (1, "2026-12-10 12:00", "2e relève"),
            (1, "2027-01-15 12:00", "Relève finale"),
        ],
        "tracks": ALL_TRACKS,
        "themes": [
            "Parcours de soins / e-parcours",
            "Données de santé et recherche",
            "Formation des professionnels",
        ],
        "body": "Les tiers-lieux d'expérimentation offrent aux entreprises un terrain d'essai "
        "encadré : accès à des utilisateurs, protocoles d'évaluation, accompagnement éthique et "
        "réglementaire. L'appel finance leur création et leurs premières campagnes.",
    },
    {
        "slug": "dispositifs-medicaux-numeriques",
        "title": "Dispositifs médicaux numériques : évaluation clinique et médico-économique",
        "summary": "Financer les études cliniques et médico-économiques qui ouvrent l'accès au "
        "remboursement des dispositifs médicaux numériques.",
        "operator": "Bpifrance",
        "budget_envelope": 30_000_000,
        "max_amount_per_project": 2_000_000,
        "aid_rate_percent": 45,
        "opens_at": "2026-10-01 09:00",
        "cutoffs": [
            (1, "2026-12-11 12:00", "Pré-propositions, vague 1"),
            (1, "2027-02-26 12:00", "Pré-propositions, vague 2"),
            (2, "2027-02-05 12:00", "Dossiers complets, vague 1"),
            (2, "2027-04-30 12:00", "Dossiers complets, vague 2"),
        ],
        # Shortlisted teams are heard by a jury before the committee.
        "tracks": [*ALL_TRACKS, ("hearing", 2)],
        "themes": [
            "Dispositif médical numérique",
            "Télésurveillance médicale",
            "Maladies chroniques",
            "Cardiologie",
            "Diabète",
        ],
        "body": "Appel en deux étapes : une pré-proposition de quatre pages, puis un dossier "
        "complet pour les projets présélectionnés, avec le protocole d'étude et l'avis d'un "
        "comité d'éthique lorsque la recherche le requiert.",
    },
    {
        "slug": "numerique-medico-social",
        "title": "Numérique en santé dans le secteur médico-social",
        "summary": "Équiper les établissements et services médico-sociaux de solutions "
        "interopérables pour coordonner les parcours des personnes âgées et handicapées.",
        "operator": "Agence du numérique en santé",
        "budget_envelope": 20_000_000,
        "max_amount_per_project": 500_000,
        "aid_rate_percent": 60,
        "opens_at": "2027-03-01 09:00",
        "cutoffs": [
            (1, "2027-04-15 12:00", "1re relève"),
            (1, "2027-06-30 12:00", "Relève finale"),
        ],
        "tracks": [("ethics", 1), ("security", 1), ("interoperability", 1)],
        "themes": [
            "Médico-social et grand âge",
            "Parcours de soins / e-parcours",
            "Coordination des soins",
            "Soins à domicile",
            "Handicap",
        ],
        "body": "Les solutions financées s'appuient sur les services socles : DMP et Mon espace "
        "santé, MSSanté, INS et Pro Santé Connect.",
    },
    {
        "slug": "ia-aide-au-diagnostic",
        "title": "Intelligence artificielle et aide au diagnostic",
        "summary": "Accélérer la validation clinique de solutions d'intelligence artificielle "
        "d'aide au diagnostic, sous contrôle humain.",
        "operator": "Bpifrance",
        "budget_envelope": 25_000_000,
        "max_amount_per_project": 1_000_000,
        "aid_rate_percent": 50,
        "opens_at": "2026-01-15 09:00",
        "cutoffs": [
            (1, "2026-02-27 12:00", "1re relève"),
            (1, "2026-04-30 12:00", "Relève finale"),
        ],
        "tracks": ALL_TRACKS,
        "themes": ["Intelligence artificielle / aide au diagnostic", "Imagerie", "Oncologie"],
        "body": "Les projets démontrent la supervision humaine des algorithmes, la qualité des "
        "données d'entraînement et la mesure des biais.",
    },
    {
        "slug": "interoperabilite-segur",
        "title": "Interopérabilité et partage des données de santé (Ségur)",
        "summary": "Aider les éditeurs à rendre leurs logiciels conformes aux exigences Ségur : "
        "INS, DMP, MSSanté et profils FHIR du CI-SIS.",
        "operator": "Agence du numérique en santé",
        "budget_envelope": 15_000_000,
        "max_amount_per_project": 800_000,
        "aid_rate_percent": 50,
        "opens_at": "2025-11-01 09:00",
        "cutoffs": [
            (1, "2026-01-30 12:00", "1re relève"),
            (1, "2026-03-31 12:00", "Relève finale"),
        ],
        "closed_early": ("2026-03-13 12:00", "Enveloppe entièrement engagée après la 1re relève."),
        "tracks": [("security", 1), ("interoperability", 2)],
        "themes": ["Interopérabilité", "Données de santé et recherche", "Cybersécurité"],
        "body": "Les projets retenus visent le référencement Ségur de leur logiciel avant la fin "
        "de la vague en cours.",
    },
]

CONTENT_PAGES = [
    {
        "slug": "le-programme",
        "title": "Le programme",
        "show_in_menus": True,
        "intro": "La stratégie d'accélération « Santé numérique » de France 2030 mobilise plus de "
        "700 M€ pour faire de la France un leader de la santé numérique.",
        "paragraphs": [
            "Opérée avec l'Agence du numérique en santé, la Délégation au numérique en santé, "
            "Bpifrance, l'ANR et la Caisse des Dépôts, elle soutient la recherche, la formation, "
            "les sites d'expérimentation et l'évaluation clinique des dispositifs médicaux "
            "numériques.",
            "Chaque dossier est expertisé selon la doctrine du numérique en santé : éthique, "
            "sécurité et interopérabilité.",
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "show_in_menus": False,
        "intro": "Ruche est un logiciel libre de gestion d'appels à projets.",
        "paragraphs": ["Ce site de démonstration ne collecte aucune donnée réelle."],
    },
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "show_in_menus": False,
        "intro": "Ruche s'engage à rendre son service accessible conformément au RGAA 4.1.",
        "paragraphs": [
            "État de conformité : partiellement conforme. Les pages publiques sont vérifiées "
            "automatiquement (axe-core) à chaque intégration.",
        ],
    },
]


# The personal-data notice (cms.PersonalDataPage): rich text, one entry per section.
PERSONAL_DATA = {
    "slug": "donnees-personnelles",
    "title": "Données personnelles",
    "intro": "Ce que Ruche fait de vos données, combien de temps il les garde et comment "
    "exercer vos droits.",
    "controller": "<p>Le ministère chargé de la santé (Délégation au numérique en santé), pour "
    "le compte des opérateurs du programme qui instruisent les appels.</p>",
    "purposes": "<ul><li>Gérer les comptes des candidats, des experts et des agents.</li>"
    "<li>Recevoir, instruire et évaluer les candidatures, décider des financements.</li>"
    "<li>Suivre les projets financés et publier les projets lauréats.</li></ul>",
    "legal_basis": "<p>Mission d'intérêt public (RGPD, art. 6.1.e) : l'attribution des aides "
    "de France 2030 et du Ségur du numérique en santé.</p>",
    "recipients": "<p>Les agents des opérateurs qui instruisent l'appel, les experts chargés de "
    "l'évaluation et le comité de sélection, chacun pour les dossiers qui le concernent.</p>",
    "retention": "<ul><li>Dossiers retenus et financés : durée du financement puis archivage "
    "public.</li><li>Dossiers rejetés, irrecevables ou retirés : anonymisés et pièces supprimées "
    "après la durée fixée par l'opérateur (5 ans par défaut, délai de prescription de droit "
    "commun).</li><li>Brouillons jamais déposés : supprimés 3 ans après leur dernière "
    "modification.</li><li>Compte fermé : nom et adresse effacés aussitôt.</li></ul>",
    "rights": "<p>Vous pouvez accéder à vos données, les rectifier, les recevoir dans un format "
    "lisible par une machine, vous opposer à leur traitement ou demander leur effacement, dans "
    "les limites des archives que le programme doit conserver. Vous pouvez aussi saisir la "
    "CNIL.</p>",
    "dpo_contact": "<p>Délégué à la protection des données des ministères sociaux : "
    '<a href="mailto:dpd@example.org">dpd@example.org</a>.</p>',
}
