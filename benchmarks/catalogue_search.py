"""Catalogue search, end to end: the search and the whole catalogue page over HTTP, per backend
and size, with the SQL each page runs, against targets.

Generates N published sheets (benchmarks/catalogue_data.py) in a dedicated PostgreSQL
database, rebuilds each backend's index (sheets/s) and, for each kind of query (text,
text + region, theme + year, no text with facets, typos; at least 100 samples each after a
warm-up), times ``backend.search()`` in-process and ``GET /catalogue/?…`` through a real
HTTP server (Django's WSGI server on 127.0.0.1, in a thread of this process: template,
facets, labels, the page's sheets). A trivial view served the same way is the baseline.

    .venv/bin/python benchmarks/catalogue_search.py                 # 1k, 10k, 100k
    .venv/bin/python benchmarks/catalogue_search.py --projects 1000 --samples 20   # quick

Backends: the database (PostgreSQL) up to --database-max sheets; the search engine when
SEARCH_URL answers (SEARCH_ENGINE, default opensearch; alias ``ruche-bench-projects``,
deleted at the end). The database is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from catalogue_data import queries, seed
from pgdatabase import drop_database as pg_drop_database
from pgdatabase import recreate_database, settle_database

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "ruche-bench-projects"
WARM_UP = 30  # rounds of every query before the samples (the engine's JIT warms up)
TARGETS = {  # (backend, size): (search p95 ms, page p95 ms)
    ("database", 10_000): (20.0, 40.0),
    ("engine", 100_000): (20.0, None),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--samples", type=int, default=100, help="per kind of query")
    parser.add_argument("--database-max", type=int, default=10_000)
    parser.add_argument("--backend", choices=["all", "database", "engine"], default="all")
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/ruche_bench_search"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    args.projects = sorted(set(args.projects))
    return args


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ruche.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = "bench_urls"  # the site plus the baseline view
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


# -- SQL statement classes --------------------------------------------------------------------

CLASSES = [
    ("catalogue: facets, total, page", re.compile(r"^WITH s AS")),
    ("catalogue: generation of the counts", re.compile(r"search_indexgeneration")),
    ("catalogue: unfiltered page", re.compile(r"^SELECT s\.id FROM \(SELECT d\.project_id")),
    ("text: query words", re.compile(r"ts_parse|FROM search_fts WHERE search_fts MATCH %s LIMIT")),
    ("text: vocabulary", re.compile(r"search_lexeme|search_fts_vocab")),
    ("text: highlights", re.compile(r"ts_headline|highlight\(")),
    ("page: sheets", re.compile(r'FROM "search_publicproject"')),
    ("page: call labels", re.compile(r'FROM "cms_callpage"')),
    ("page: themes", re.compile(r'FROM "cms_theme"')),
]


class Statements:
    """Counts, rows and time of each class of SQL statement, across threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        self.on = False

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        result = execute(sql, params, many, context)
        took = time.perf_counter() - began
        if self.on:
            name = next((n for n, p in CLASSES if p.search(sql)), "other: " + sql[:40])
            rows = max(context["cursor"].rowcount, 0)
            with self.lock:
                entry = self.stats[name]
                entry[0] += 1
                entry[1] += rows
                entry[2] += took
        return result


STATEMENTS = Statements()


def install_statements() -> None:
    from django.db import connections
    from django.db.backends.signals import connection_created

    def wrap(sender, connection, **kwargs):
        if STATEMENTS not in connection.execute_wrappers:
            connection.execute_wrappers.append(STATEMENTS)

    connection_created.connect(wrap, weak=False)
    for connection in connections.all():
        if STATEMENTS not in connection.execute_wrappers:
            connection.execute_wrappers.append(STATEMENTS)


# -- HTTP -------------------------------------------------------------------------------------


def serve() -> int:
    """Django's WSGI server on a free port of 127.0.0.1, in a daemon thread."""
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = WSGIServer(("127.0.0.1", 0), Quiet, ipv6=False)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def get(port: int, path: str) -> float:
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return (time.perf_counter() - began) * 1000


def page_path(query) -> str:
    params = [("q", query.text)] if query.text else []
    params += [(name, v) for name, values in query.filters.items() for v in values]
    params += [("sort", query.sort), ("page", str(query.page))]
    return "/catalogue/?" + urlencode(params)


# -- Measuring --------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    low, high = int(k), min(int(k) + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def measure(backend, port: int, qs, samples: int) -> dict[str, dict[str, list[float]]]:
    """kind -> {measure: ms samples}; each kind's queries in turn. Measures:

    - "cold": ``backend.search()`` just after the backend's caches were emptied (the
      engine's request cache, the database's cached counts), as for a query nobody made yet;
    - "search": the same search again, its counts cached, as when the visitor turns the
      page or changes the sort;
    - "cold page" and "page": the whole page over HTTP, likewise.

    First, WARM_UP rounds of every query: a server that has been answering for a while (the
    engine's JIT compiler, PostgreSQL's buffers)."""
    by_kind: dict[str, list] = defaultdict(list)
    for kind, query in qs:
        by_kind[kind].append(query)
    for _ in range(WARM_UP):
        for _kind, query in qs:
            backend.search(query)
            get(port, page_path(query))
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for kind, kind_queries in by_kind.items():
        for n in range(samples):
            query = kind_queries[n % len(kind_queries)]
            empty_caches(backend, query)
            began = time.perf_counter()
            backend.search(query)
            times[kind]["cold"].append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            results = backend.search(query)
            times[kind]["search"].append((time.perf_counter() - began) * 1000)
            times[kind]["hits"].append(results.total)
            empty_caches(backend, query)
            STATEMENTS.on = True
            times[kind]["cold page"].append(get(port, page_path(query)))
            STATEMENTS.on = False
            times[kind]["page"].append(get(port, page_path(query)))
            # The trivial view among the samples: how busy the machine was meanwhile.
            times[kind]["trivial"].append(get(port, "/bench/plain/"))
    return times


def empty_caches(backend, query) -> None:
    from django.core.cache import cache

    from search.backends.database import counts_key
    from search.models import IndexGeneration

    if hasattr(backend, "client"):
        backend.client.indices.clear_cache(index=ALIAS, request=True)
    else:
        generation = IndexGeneration.objects.values_list("token", flat=True).first()
        cache.delete(counts_key(generation, query))


def configure(name: str, engine_url: str) -> object:
    """Point get_backend() (the HTTP pages) at ``name``; returns that backend."""
    from django.conf import settings

    from search.backends import get_backend

    if name == "database":
        settings.SEARCH_ENGINE = "database"
    else:
        settings.SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "opensearch")
        settings.SEARCH_URL, settings.SEARCH_INDEX = engine_url, ALIAS
    return get_backend()


def engine_answers(url: str) -> bool:
    from search.backends import clients

    try:
        return bool(
            clients.engine(os.environ.get("SEARCH_ENGINE", "opensearch"), url).client.ping()
        )
    except Exception:
        return False


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)  # noqa: S311 - synthetic data
    print(f"Database {args.database_url}: (re)creating and migrating…", flush=True)
    recreate_database(args.database_url)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    setup_django(args.database_url)
    engine_url = os.environ.get("SEARCH_URL", "http://127.0.0.1:9200")
    names = [n for n in ("database", "engine") if args.backend in ("all", n)]
    if "engine" in names and not engine_answers(engine_url):
        print(f"engine: skipped, nothing answers at {engine_url} (SEARCH_URL)")
        names.remove("engine")
    install_statements()
    port = serve()
    rows, rebuilds, statements = [], [], []
    try:
        reference = seed_reference()
        qs = queries(reference)
        seeded = 0
        for size in args.projects:
            took = seed(seeded, size, rng, reference)
            settle_database(args.database_url)
            print(f"{size} sheets ({size - seeded} generated in {took:.1f} s)", flush=True)
            seeded = size
            for name in names:
                if name == "database" and size > args.database_max:
                    continue
                backend = configure(name, engine_url)
                began = time.perf_counter()
                count = backend.rebuild()
                rebuilt = time.perf_counter() - began
                rebuilds.append((name, size, count / rebuilt))
                print(f"  {name}: rebuild {count} sheets in {rebuilt:.1f} s", flush=True)
                baseline = [
                    percentile([get(port, f"/bench/{view}/") for _ in range(args.samples)], 0.5)
                    for view in ("plain", "base")
                ]
                STATEMENTS.stats.clear()
                times = measure(backend, port, qs, args.samples)
                statements.append((name, size, dict(STATEMENTS.stats)))
                rows.append((name, size, baseline, times))
    finally:
        if "engine" in names:
            configure("engine", engine_url).drop()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg_drop_database(args.database_url)
    report(rows, rebuilds, statements, args.samples)
    return 0


def seed_reference():
    from catalogue_data import prepare_reference

    return prepare_reference()


MEASURES = (("search", 10), ("cold", 9), ("page", 9), ("cold page", 10))


def figures(times: dict[str, list[float]]) -> str:
    """p50 and p95 of each measure."""
    return " ".join(
        f"{percentile(times[key], 0.5):>{width}.1f} {percentile(times[key], 0.95):>7.1f}"
        for key, width in MEASURES
    )


def report(rows, rebuilds, statements, samples: int) -> None:
    print(f"\n{samples} samples per kind; ms. search: backend.search() in-process; "
          "page: GET /catalogue/ over HTTP; baselines served the same way")  # fmt: skip
    print("cold: just after the backend's caches were emptied; otherwise the same again, "
          "its counts cached (the next page, another sort)")  # fmt: skip
    head = f"{'backend':<9} {'sheets':>7} {'kind':<13} {'hits':>6} " + " ".join(
        f"{key + ' p50':>{width}} {'p95':>7}" for key, width in MEASURES
    )
    print(head)
    print("-" * len(head))
    pages: dict[tuple[str, int], float] = {}
    verdicts = []
    for name, size, baseline, times in rows:
        everything = defaultdict(list)
        for kind, t in times.items():
            hits = sum(t["hits"]) / len(t["hits"])
            print(f"{name:<9} {size:>7} {kind:<13} {hits:>6.0f} {figures(t)}")
            for key in [*(key for key, _width in MEASURES), "trivial"]:
                everything[key] += t[key]
        search_p95, cold_p95, page_p95, cold_page_p95 = (
            percentile(everything[k], 0.95) for k, _width in MEASURES
        )
        print(f"{name:<9} {size:>7} {'all':<13} {'':>6} {figures(everything)}")
        print(f"{name:<9} {size:>7} {'baselines':<13} trivial view p50 {baseline[0]:.1f}, "
              f"the site's empty frame p50 {baseline[1]:.1f}; the trivial view among the "
              f"samples p50 {percentile(everything['trivial'], 0.5):.1f} "
              f"p95 {percentile(everything['trivial'], 0.95):.1f}")  # fmt: skip
        pages[(name, size)] = percentile(everything["page"], 0.5)
        target = TARGETS.get((name, size))
        if target:
            verdicts.append((f"{name} at {size}: search p95 {search_p95:.1f} ms ≤ {target[0]}",
                             search_p95 <= target[0]))  # fmt: skip
            verdicts.append((f"{name} at {size}: cold search p95 {cold_p95:.1f} ms ≤ {target[0]}",
                             cold_p95 <= target[0]))  # fmt: skip
            if target[1]:
                verdicts.append((f"{name} at {size}: page p95 {page_p95:.1f} ms ≤ {target[1]}",
                                 page_p95 <= target[1]))  # fmt: skip
                verdicts.append((f"{name} at {size}: cold page p95 {cold_page_p95:.1f} ms ≤ "
                                 f"{target[1]}", cold_page_p95 <= target[1]))  # fmt: skip
    engine_sizes = sorted(size for name, size in pages if name == "engine")
    if len(engine_sizes) > 1:
        small, large = engine_sizes[0], engine_sizes[-1]
        ratio = pages[("engine", large)] / pages[("engine", small)]
        verdicts.append((f"engine page p50 at {large} is {ratio:.2f}× its time at {small} (≤ 2×)",
                         ratio <= 2))  # fmt: skip
    print("\nFull rebuild")
    for name, size, rate in rebuilds:
        print(f"{name:<9} {size:>7} {rate:>8.0f} sheets/s")
    print("\nSQL per cold page, by statement class (pages of every kind)")
    for name, size, stats in statements:
        pages_count = samples * 5
        print(f"{name} at {size}:")
        for label, (count, rowcount, seconds) in sorted(stats.items(), key=lambda i: -i[1][2]):
            each = max(count, 1)
            print(f"  {label:<40} {count / pages_count:>5.1f}/page {rowcount / each:>8.1f} "
                  f"rows {seconds * 1000 / each:>7.2f} ms each")  # fmt: skip
    print("\nTargets")
    for text, ok in verdicts:
        print(f"  {'OK  ' if ok else 'MISS'} {text}")


if __name__ == "__main__":
    sys.exit(main())
