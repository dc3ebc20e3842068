"""Catalogue search: indexing time and search latency with facet counts, per backend.

Generates N realistic published project sheets (the demo themes, the 18 regions, years
2021–2026, €100k–€2M, French titles and summaries built from word lists) in a dedicated
PostgreSQL database, rebuilds each backend's index and times typical catalogue searches
(20 queries × repeats: text only, text + region, theme + year, empty query with facets, typos).

    .venv/bin/python benchmarks/catalogue_search.py --projects 10000 100000

Sizes are cumulative: the sheets of the first size are kept and completed for the next one.
Backends: the database one always; Elasticsearch when ELASTICSEARCH_URL is set (an index alias
``ruche-bench-projects``, deleted at the end). The database is dropped at the end unless
``--keep``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from pgdatabase import drop_database as pg_drop_database  # noqa: E402
from pgdatabase import recreate_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ES_ALIAS = "ruche-bench-projects"

# -- Command line and database ----------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--projects", type=int, nargs="+", default=[10_000, 100_000], help="sizes (cumulative)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="passes over the 20 queries")
    parser.add_argument(
        "--backend",
        choices=["all", "database", "elastic"],
        default="all",
        help="elastic needs ELASTICSEARCH_URL (default: all available)",
    )
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/ruche_search_bench",
        help="PostgreSQL database to (re)create and drop (default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.projects) or args.repeats < 1:
        parser.error("--projects and --repeats must be positive")
    args.projects = sorted(set(args.projects))
    return args


def drop_database(database_url: str) -> None:
    from django.db import connections

    connections.close_all()  # Django's own connection would block DROP DATABASE
    pg_drop_database(database_url)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ruche.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


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


# -- Queries ----------------------------------------------------------------------------------


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


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p
    low, high = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (k - low)


def measure(backend, qs, repeats: int) -> dict[str, tuple[float, float, float]]:
    for _, q in qs:  # warm-up (caches, connections)
        backend.search(q)
    times: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[int]] = defaultdict(list)
    for _ in range(repeats):
        for kind, q in qs:
            began = time.perf_counter()
            results = backend.search(q)
            elapsed = (time.perf_counter() - began) * 1000
            times[kind].append(elapsed)
            times["all"].append(elapsed)
            totals[kind].append(results.total)
    out = {}
    for kind in [*dict.fromkeys(k for k, _ in qs), "all"]:
        values = times[kind]
        values.sort()
        mean_total = statistics.mean(totals[kind]) if kind != "all" else float("nan")
        out[kind] = (percentile(values, 0.5), percentile(values, 0.95), mean_total)
    return out


def backends(choice: str) -> list[tuple[str, object]]:
    from django.conf import settings

    found = []
    if choice in ("all", "database"):
        from search.backends.database import DatabaseBackend

        found.append(("database", DatabaseBackend()))
    if choice in ("all", "elastic"):
        if settings.ELASTICSEARCH_URL:
            from search.backends.elastic import ElasticsearchBackend

            found.append(("elastic", ElasticsearchBackend(alias=ES_ALIAS)))
        else:
            print("elastic: skipped, ELASTICSEARCH_URL is empty")
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)  # noqa: S311 - synthetic data, not security
    print(f"Database {args.database_url}: (re)creating and migrating…", flush=True)
    recreate_database(args.database_url)
    rows = []
    writes = []
    chosen = []
    try:
        setup_django(args.database_url)
        chosen = backends(args.backend)
        if not chosen:
            raise SystemExit("no backend to measure")
        reference = prepare_reference()
        qs = queries(reference)
        seeded = 0
        for size in args.projects:
            took = seed(seeded, size, rng, reference)
            print(f"{size} sheets ({size - seeded} generated in {took:.1f} s)", flush=True)
            seeded = size
            for name, backend in chosen:
                began = time.perf_counter()
                count = backend.rebuild()
                indexing = time.perf_counter() - began
                print(f"  {name}: rebuild of {count} sheets in {indexing:.1f} s", flush=True)
                began = time.perf_counter()
                backend.search(qs[0][1])
                cold = (time.perf_counter() - began) * 1000
                print(f"  {name}: first search after the rebuild {cold:.0f} ms", flush=True)
                for kind, (p50, p95, hits) in measure(backend, qs, args.repeats).items():
                    rows.append((name, size, indexing, kind, p50, p95, hits))
                writes.append((name, size, *publication_cost(backend, rng, reference)))
    finally:
        for name, backend in chosen:
            if name == "elastic":
                backend.client.indices.delete(index=f"{ES_ALIAS}-*", ignore_unavailable=True)
        if not args.keep:
            drop_database(args.database_url)

    print()
    print(f"{args.repeats} passes × 20 queries per backend and size; latency in ms")
    header = (
        f"{'backend':<9} {'projects':>9} {'index s':>8} {'queries':<13} "
        f"{'p50':>8} {'p95':>8} {'hits':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, size, indexing, kind, p50, p95, hits in rows:
        shown = "" if hits != hits else f"{hits:.0f}"  # NaN for the "all" row
        print(f"{name:<9} {size:>9} {indexing:>8.1f} {kind:<13} {p50:>8.1f} {p95:>8.1f} {shown:>8}")
    print()
    print("A new sheet published then unpublished, each followed by a search (median of 5, ms)")
    print(f"{'backend':<9} {'projects':>9} {'index':>8} {'search':>8} {'remove':>8} {'search':>8}")
    for name, size, *costs in writes:
        print(f"{name:<9} {size:>9} " + " ".join(f"{c:>8.1f}" for c in costs))
    return 0


def publication_cost(backend, rng: random.Random, reference) -> tuple[float, ...]:
    """Medians over 5 new sheets of: indexing a newly published sheet, the next search (the
    database backend's processes catch up with the write), removing it, the next search."""
    from search.backends.base import CatalogueQuery
    from search.models import PublicProject

    themes, regions, calls = reference
    query = CatalogueQuery(text="télésurveillance")
    timings: list[list[float]] = [[], [], [], []]
    for n in range(5):
        (sheet,) = PublicProject.objects.bulk_create(
            make_sheets(10_000_000 + n, 10_000_001 + n, rng, themes, regions, calls)
        )
        sheet.themes.set(rng.sample(themes, 2))
        steps = (
            (backend.index, [sheet.pk]),
            (backend.search, query),
            (backend.remove, [sheet.pk]),
            (backend.search, query),
        )
        for i, (step, argument) in enumerate(steps):
            began = time.perf_counter()
            step(argument)
            timings[i].append((time.perf_counter() - began) * 1000)
        sheet.delete()
    return tuple(statistics.median(t) for t in timings)


if __name__ == "__main__":
    sys.exit(main())
