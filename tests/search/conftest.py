"""The catalogue backends under test: the database one (the test database's engine, SQLite or
PostgreSQL) and the search engine at RUCHE_TEST_SEARCH_URL (scripts/test sets it when the
project's OpenSearch node answers). Without that URL the engine's tests are skipped, unless
RUCHE_REQUIRE_SEARCH_ENGINE=1 (CI), which makes them fail."""

from __future__ import annotations

import os
import uuid
from collections import Counter

import pytest

from search.backends import clients
from search.backends.database import DatabaseBackend
from search.backends.engine import EngineBackend

ENGINE_URL = os.environ.get("RUCHE_TEST_SEARCH_URL", "")
ENGINE_KIND = os.environ.get("RUCHE_TEST_SEARCH_ENGINE", "opensearch")
ENGINE_REQUIRED = os.environ.get("RUCHE_REQUIRE_SEARCH_ENGINE") == "1"


def require_engine() -> clients.Engine:
    """The engine under test, or skip (fail when CI requires it)."""
    if not ENGINE_URL:
        message = "RUCHE_TEST_SEARCH_URL is empty: no search engine to test against"
        if ENGINE_REQUIRED:
            pytest.fail(message + " (RUCHE_REQUIRE_SEARCH_ENGINE=1)")
        pytest.skip(message)
    return clients.engine(ENGINE_KIND, ENGINE_URL)


def engine_backend() -> EngineBackend:
    """An engine backend on an alias of its own, so tests never see each other's sheets."""
    return EngineBackend(require_engine(), alias=f"ruche-test-{uuid.uuid4().hex[:10]}")


BACKENDS = [
    pytest.param("database", id="database"),
    pytest.param("engine", id="engine"),
]


def make_backend(name: str):
    return DatabaseBackend() if name == "database" else engine_backend()


@pytest.fixture(params=BACKENDS)
def any_backend(request, db):
    """Each backend in turn, with an empty index; the engine's indices are deleted after."""
    backend = make_backend(request.param)
    backend.rebuild()
    yield backend
    if isinstance(backend, EngineBackend):
        backend.drop()


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


def pytest_terminal_summary(terminalreporter) -> None:
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
