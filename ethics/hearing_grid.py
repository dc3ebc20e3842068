"""The reference hearing grid (« Audition ») shipped with Ruche: what a jury scores when it
hears a shortlisted team, in the same grid machinery as the experts' tracks (weights, 0–5
scale, aggregation over the jury's members).

A working model drawn from how the programme's juries hear teams: the team, the pitch and its
answers, feasibility, impact. Loaded with the other reference grids (``reference_grids``).
"""

from __future__ import annotations

from core.vocabulary import ReviewTrack

from .grid_data import CriterionData, GridData

HEARING = GridData(
    "Grille de référence — Audition (inspirée des jurys de la stratégie « Santé numérique »)",
    ReviewTrack.HEARING,
    "Grille fournie avec Ruche pour les auditions des équipes présélectionnées, inspirée des "
    "jurys des appels de la stratégie « Santé numérique » ; ce n'est pas une grille officielle. "
    "Chaque membre du jury la remplit après l'audition ; la note de l'audition est la moyenne "
    "des membres qui ont noté.",
    (
        CriterionData(
            "A1",
            "Équipe : complémentarité, engagement et capacité à porter le projet",
            "L'équipe présente couvre les compétences clés (clinique, technique, réglementaire, "
            "commerciale) ; les rôles sont clairs et l'engagement des porteurs est crédible.",
            "Équipe et partenaires du dossier, présentation orale.",
            ("equipe", "piece:pitch_deck"),
            3,
        ),
        CriterionData(
            "A2",
            "Présentation et qualité des réponses au jury",
            "Le projet est exposé clairement dans le temps imparti ; les réponses aux questions "
            "du jury sont précises et lèvent les réserves des experts.",
            "Pitch deck, questions posées en séance.",
            ("piece:pitch_deck", "projet.summary"),
            2,
        ),
        CriterionData(
            "A3",
            "Faisabilité : calendrier, moyens et risques",
            "Le programme de travail, le budget et les jalons sont réalistes ; les principaux "
            "risques sont identifiés avec leur parade.",
            "Durée du projet, budget, annexe technique.",
            ("projet.duration_months", "budget", "piece:budget_detail"),
            2,
        ),
        CriterionData(
            "A4",
            "Impact attendu pour les patients, les professionnels et le système de santé",
            "L'impact est chiffré, mesurable et la voie de déploiement (prise en charge, "
            "marché) est convaincante.",
            "Résultats attendus, utilisateurs visés, modèle économique.",
            ("projet.outcomes", "projet.target_users", "ethique.business_model"),
            3,
        ),
    ),
)
