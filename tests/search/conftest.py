"""The catalogue backends under test: the database one (the test database's engine, SQLite or
PostgreSQL) and the search engine at RUCHE_TEST_SEARCH_URL (scripts/test sets it when the
project's OpenSearch node answers). Without that URL the engine's tests are skipped, unless
RUCHE_REQUIRE_SEARCH_ENGINE=1 (CI), which makes them fail."""

from __future__ import annotations

import os
import uuid

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
