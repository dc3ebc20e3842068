"""Relevance of the catalogue's search on the judged set (tests/search/relevance_data.py):
precision at 5, recall at 10 and mean reciprocal rank, per backend, with the queries that
miss an expected sheet.

    .venv/bin/python benchmarks/relevance.py                       # PostgreSQL, and the engine
    .venv/bin/python benchmarks/relevance.py --database-url sqlite:///var/relevance.sqlite3

The database is (re)created and dropped at the end. The engine is measured when SEARCH_URL
answers (SEARCH_ENGINE, default opensearch), on an alias deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pgdatabase import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/ruche_bench_relevance"
    )
    args = parser.parse_args(argv)
    sqlite = args.database_url.startswith("sqlite:")
    if sqlite:
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        recreate_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ruche.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from search.backends import clients
    from search.backends.database import DatabaseBackend
    from search.backends.engine import EngineBackend
    from tests.search.relevance import judge, load_corpus, means

    call_command("migrate", verbosity=0)
    ids = load_corpus()
    backends = [(f"database ({'SQLite' if sqlite else 'PostgreSQL'})", DatabaseBackend())]
    kind = os.environ.get("SEARCH_ENGINE", "opensearch")
    url = os.environ.get("SEARCH_URL", "http://127.0.0.1:9200")
    engine = clients.engine(kind, url)
    try:
        if engine.client.ping():
            backends.append((f"engine ({kind})", EngineBackend(engine, alias="ruche-relevance")))
    except Exception as exc:  # no engine: the database only
        print(f"engine: skipped ({exc})")
    print(f"{len(ids)} sheets; precision at 5 (ideal: every expected sheet in the first 5)")
    print(f"{'backend':<24} {'queries':>7} {'P@5':>6} {'ideal':>6} {'R@10':>6} {'MRR':>6}")
    try:
        for name, backend in backends:
            backend.rebuild()
            judged = judge(backend, ids)
            m = means(judged)
            print(f"{name:<24} {len(judged):>7} {m['P@5']:>6.3f} {m['P@5 ideal']:>6.3f} "
                  f"{m['R@10']:>6.3f} {m['MRR']:>6.3f}")  # fmt: skip
            for j in judged:
                if j.recall_at_10 < 1 or j.reciprocal_rank < 1:
                    missing = sorted(set(j.expected) - set(j.found))
                    print(f"    {j.query!r}: RR {j.reciprocal_rank:.2f}, missing {missing}")
    finally:
        for _name, backend in backends:
            if isinstance(backend, EngineBackend):
                backend.drop()
        if not sqlite:
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
