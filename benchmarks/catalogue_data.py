"""Generated catalogue sheets for benchmarks/catalogue_search.py: the demo themes, the 18
regions, one call per year 2021–2026, €100k–€2M, French titles and summaries recombined from
word lists; and the typical searches, by kind."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

# -- Realistic sheets -------------------------------------------------------------------------

PRODUCTS = [
    "Plateforme de", "Application de", "Solution de", "Dispositif connecté de",
    "Outil d'aide à", "Service de", "Logiciel de", "Assistant numérique de",
    "Programme de", "Capteur intelligent pour la",
]  # fmt: skip
ACTIVITIES = [
    "télésurveillance", "téléconsultation", "coordination", "prévention", "dépistage",
    "rééducation", "suivi", "diagnostic", "orientation", "éducation thérapeutique",
    "détection précoce", "gestion", "planification", "interprétation",
]  # fmt: skip
SUBJECTS = [
    "des patients insuffisants cardiaques", "du diabète de type 2", "de la dépression",
    "des cancers du sein", "des personnes âgées à domicile", "de l'insuffisance rénale",
    "des troubles du sommeil", "de l'asthme de l'enfant", "des plaies chroniques",
    "de la maladie d'Alzheimer", "des AVC", "de la BPCO", "des troubles du spectre autistique",
    "des parcours en oncologie", "de l'hypertension artérielle", "des chutes en EHPAD",
    "de la douleur chronique", "des addictions", "de l'obésité", "des grossesses à risque",
]  # fmt: skip
QUALIFIERS = [
    "par intelligence artificielle", "en ville et à l'hôpital", "à domicile",
    "en temps réel", "pour les soignants", "interopérable avec le DMP", "en zone rurale",
    "par l'imagerie", "pour les aidants", "", "", "",
]  # fmt: skip
SENTENCES = [
    "Le projet {name} propose {activity} {subject} grâce à des données collectées en continu.",
    "Les professionnels de santé reçoivent des alertes hiérarchisées et sécurisées.",
    "La solution est interopérable avec le dossier médical partagé et Mon espace santé.",
    "Un algorithme d'apprentissage automatique aide à la décision médicale.",
    "L'évaluation clinique est menée avec un centre hospitalier universitaire.",
    "Les données de santé sont hébergées chez un hébergeur certifié HDS.",
    "Le parcours de soins est coordonné entre l'hôpital, la ville et le médico-social.",
    "Les patients et leurs aidants sont associés à la conception du service.",
    "La télésurveillance médicale réduit les hospitalisations évitables.",
    "Le dispositif médical numérique vise le marquage CE et la prise en charge PECAN.",
]
SYLLABLES = ["ca", "di", "no", "vi", "ta", "mé", "lo", "ra", "zo", "ki", "sy", "né", "ther"]
LEGAL = ["SAS", "SASU", "SA", "SARL"]


def company(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{name} {rng.choice(['Santé', 'Health', 'Care', 'Médical', 'Tech', 'Lab'])}"


def make_sheets(start: int, stop: int, rng: random.Random, themes, regions, calls) -> list:
    from search.models import PublicProject

    sheets = []
    epoch = datetime(2021, 1, 1, tzinfo=UTC)
    for n in range(start, stop):
        activity, subject = rng.choice(ACTIVITIES), rng.choice(SUBJECTS)
        title = f"{rng.choice(PRODUCTS)} {activity} {subject} {rng.choice(QUALIFIERS)}".strip()
        org = company(rng)
        picked = rng.sample(SENTENCES[1:], 3)
        summary = " ".join(
            [SENTENCES[0].format(name=org.split()[0], activity=activity, subject=subject), *picked]
        )
        call = rng.choice(calls)
        year = rng.randint(2021, 2026)
        published = epoch + timedelta(days=(year - 2021) * 365 + rng.randint(0, 364))
        sheets.append(
            PublicProject(
                slug=f"projet-{n}",
                title=title[:200],
                summary=summary,
                description=" ".join(rng.sample(SENTENCES[1:], 5)),
                organisation_name=f"{org} {rng.choice(LEGAL)}",
                region=rng.choice(regions),
                call=call,
                call_title=call.title,
                year=year,
                amount_granted=Decimal(rng.randrange(100_000, 2_000_001, 500)),
                trl=rng.randint(3, 9),
                status=PublicProject.Status.PUBLISHED,
                published_at=published,
            )
        )
    return sheets


def prepare_reference():
    """Demo themes, the 18 regions, one call per year 2021–2026."""
    from django.utils.text import slugify

    from cms import demo_data
    from cms.models import Theme
    from core.vocabulary import Region
    from tests.factories import build_site, make_call

    themes = [
        Theme.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in demo_data.THEMES
    ]
    index = build_site()
    calls = []
    for year in range(2021, 2027):
        opens = datetime(year, 1, 15, 9, tzinfo=UTC)
        calls.append(
            make_call(
                index,
                title=f"Appel à projets santé numérique {year}",
                opens_at=opens,
                cutoffs=[opens + timedelta(days=90)],
            )
        )
    return themes, [code for code, _ in Region.choices], calls


def seed(start: int, stop: int, rng: random.Random, reference) -> float:
    from search.models import PublicProject

    themes, regions, calls = reference
    Through = PublicProject.themes.through
    began = time.perf_counter()
    for chunk in range(start, stop, 5000):
        sheets = PublicProject.objects.bulk_create(
            make_sheets(chunk, min(chunk + 5000, stop), rng, themes, regions, calls)
        )
        Through.objects.bulk_create(
            Through(publicproject_id=s.pk, theme_id=t.pk)
            for s in sheets
            for t in rng.sample(themes, rng.choice([1, 1, 2, 3]))
        )
    return time.perf_counter() - began


def queries(reference) -> list[tuple[str, object]]:
    from search.backends.base import CatalogueQuery

    themes, _, _ = reference
    slug = {t.name: t.slug for t in themes}
    return [
        ("text", CatalogueQuery(text="télésurveillance")),
        ("text", CatalogueQuery(text="santé mentale dépression")),
        ("text", CatalogueQuery(text="intelligence artificielle imagerie")),
        ("text", CatalogueQuery(text="diabète", sort="amount")),
        ("text+region", CatalogueQuery(text="télésurveillance", filters={"region": ("11",)})),
        ("text+region", CatalogueQuery(text="diabète", filters={"region": ("84", "76")})),
        ("text+region", CatalogueQuery(text="hôpital domicile", filters={"region": ("53",)})),
        ("text+region", CatalogueQuery(text="oncologie", filters={"region": ("44",)}, page=2)),
        (
            "theme+year",
            CatalogueQuery(filters={"theme": (slug["Diabète"],), "year": ("2024",)}),
        ),
        (
            "theme+year",
            CatalogueQuery(filters={"theme": (slug["Santé mentale"],), "year": ("2025", "2026")}),
        ),
        (
            "theme+year",
            CatalogueQuery(
                filters={"theme": (slug["Imagerie"], slug["Oncologie"]), "year": ("2022",)}
            ),
        ),
        (
            "theme+year",
            CatalogueQuery(
                filters={"theme": (slug["Cybersécurité"],), "year": ("2023",)}, sort="amount"
            ),
        ),
        ("empty+facets", CatalogueQuery()),
        ("empty+facets", CatalogueQuery(sort="amount")),
        ("empty+facets", CatalogueQuery(page=5)),
        ("empty+facets", CatalogueQuery(filters={"amount_band": ("1m-plus",), "trl": ("7",)})),
        ("typo", CatalogueQuery(text="telesurveilance")),
        ("typo", CatalogueQuery(text="diabette")),
        ("typo", CatalogueQuery(text="insufisance cardiaque")),
        ("typo", CatalogueQuery(text="alzeimer")),
    ]
