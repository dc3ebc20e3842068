"""A section at the end of the test log: the catalogue's suites per backend, with their
passed, failed and skipped tests, so that the log shows where the contract and the judged
set ran (CI must show them on SQLite, PostgreSQL and OpenSearch, none skipped)."""

from __future__ import annotations

import os
from collections import Counter

ENGINE_KIND = os.environ.get("RUCHE_TEST_SEARCH_ENGINE", "opensearch")

# The suites whose every backend CI must show: the contract, the parity of the backends'
# answers (both at once) and the judged relevance set.
SUITES = {
    "contrat": "tests/search/test_backend_contract.py",
    "parité": "tests/search/test_backend_parity.py",
    "pertinence": "tests/search/test_relevance.py",
}


def _backend_of(nodeid: str) -> str:
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    engine = {"opensearch": "OpenSearch", "elasticsearch": "Elasticsearch"}.get(ENGINE_KIND)
    names = {"database": f"base ({database})", "engine": engine or ENGINE_KIND}
    params = nodeid.partition("[")[2].rstrip("]").split("-")
    found = [names[p] for p in params if p in names]
    return found[0] if found else " et ".join(names.values())


def summary(terminalreporter) -> None:
    """A line per suite and backend with its passed, failed and skipped tests, so that the
    test log shows where the contract and the judged set ran."""
    counts: dict[tuple[str, str], Counter] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            suite = next((name for name, path in SUITES.items() if nodeid.startswith(path)), None)
            if suite is None or (outcome in ("passed", "failed") and report.when != "call"):
                continue
            counts.setdefault((suite, _backend_of(nodeid)), Counter())[outcome] += 1
    if not counts:
        return
    terminalreporter.section("catalogue : suites par moteur")
    for (suite, backend), counted in sorted(counts.items()):
        figures = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counted.items()))
        terminalreporter.write_line(f"{suite:<11} {backend:<32} {figures}")
