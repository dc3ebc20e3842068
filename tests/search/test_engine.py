"""What only a search engine does: versioned indices behind an alias, one client per
process, and an outage that only delays the catalogue (the outbox replays it)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from core.health import Unhealthy
from search import publication
from search.backends import clients, documents, get_backend
from search.backends.base import CatalogueQuery
from search.backends.engine import EngineBackend
from search.health import search_engine
from search.models import IndexOutbox, PublicProject
from search.outbox import pending_count, process_outbox

from .conftest import ENGINE_KIND, ENGINE_REQUIRED, ENGINE_URL, engine_backend
from .sheets import sheet

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend():
    backend = engine_backend()
    yield backend
    backend.drop()


def found(backend, text: str = "") -> list[int]:
    return sorted(h.project_id for h in backend.search(CatalogueQuery(text=text)).hits)


def test_rebuild_swaps_the_alias_and_deletes_the_old_version(backend):
    sheets = [sheet(f"Télésurveillance {n}") for n in range(3)]
    assert backend.rebuild() == 3
    first = backend.current_index()
    assert first.startswith(f"{backend.alias}-")

    sheets[2].status = PublicProject.Status.DRAFT
    sheets[2].save()
    assert backend.rebuild() == 2

    second = backend.current_index()
    assert second != first
    assert not backend.client.indices.exists(index=first)
    assert found(backend) == sorted([sheets[0].pk, sheets[1].pk])


def test_a_catalogue_never_indexed_is_empty_not_an_error(backend):
    results = backend.search(CatalogueQuery(text="télésurveillance", filters={"year": ("2025",)}))
    assert results.total == 0 and results.hits == []
    assert {name: [v.count for v in values] for name, values in results.facets.items()} == {
        "theme": [], "region": [], "call": [], "year": [], "trl": [], "amount_band": [0] * 4
    }  # fmt: skip


def test_an_index_built_by_an_older_release_shows_in_the_health_check(backend, settings):
    settings.SEARCH_ENGINE, settings.SEARCH_URL = ENGINE_KIND, ENGINE_URL
    settings.SEARCH_INDEX = backend.alias
    backend.index([sheet("Télésurveillance").pk])
    assert backend.outdated_fields() == []
    assert search_engine().startswith("EngineBackend")

    # the amount as an older release mapped it
    body = documents.index_body()
    body["mappings"]["properties"]["amount"] = {"type": "scaled_float", "scaling_factor": 100}
    older = f"{backend.alias}-older"
    backend.client.indices.create(index=older, body=body)
    backend.client.indices.update_aliases(
        body={"actions": [{"remove": {"index": backend.current_index(), "alias": backend.alias}},
                          {"add": {"index": older, "alias": backend.alias}}]}
    )  # fmt: skip
    assert backend.outdated_fields() == ["amount"]
    with pytest.raises(Unhealthy, match="rebuild_search_index"):
        search_engine()

    backend.rebuild()
    assert backend.outdated_fields() == []


def test_every_backend_of_a_process_shares_one_client(settings):
    settings.SEARCH_ENGINE, settings.SEARCH_URL = ENGINE_KIND, ENGINE_URL
    engine_backend()  # skips (or fails in CI) without an engine
    first, second = get_backend(), get_backend()
    assert first is not second and first.client is second.client


def node(command: str, *args: str, port: int) -> None:
    """scripts/opensearch for the node on ``port``."""
    env = {"PATH": "/usr/bin:/bin", "OPENSEARCH_PORT": str(port)}
    subprocess.run(
        [ROOT / "scripts" / "opensearch", command, *args], check=True, env=env, timeout=180
    )


def project_node_runs() -> bool:
    port = urlsplit(ENGINE_URL).port or 9200
    return (ROOT / "var" / "opensearch" / f"node-{port}.pid").exists()


@pytest.fixture
def own_node():
    """A node of its own, on the next port: stopping it disturbs no other test's searches
    (the suite runs on several workers)."""
    if not project_node_runs():
        message = "the engine under test was not started by scripts/opensearch"
        pytest.fail(message) if ENGINE_REQUIRED else pytest.skip(message)
    port = (urlsplit(ENGINE_URL).port or 9200) + 1
    node("start", port=port)
    backend = EngineBackend(
        clients.engine(ENGINE_KIND, f"http://127.0.0.1:{port}"), alias="ruche-test-outage"
    )
    yield backend, port
    node("stop", port=port)


def test_an_engine_outage_only_delays_the_catalogue(own_node):
    backend, port = own_node
    staff = get_user_model().objects.create_user(username="instructeur", password="x")
    before, edited, withdrawn = (sheet(f"Téléexpertise {n}", published=False) for n in range(3))
    for s in (before, edited, withdrawn):
        publication.publish(s, staff)
    assert process_outbox(backend) == (3, 0)

    node("stop", "--keep-data", port=port)
    try:
        added = sheet("Identitovigilance", published=False)
        publication.publish(added, staff)
        edited.title = "Télésurveillance"
        publication.save_sheet(edited)
        publication.unpublish(withdrawn, staff)

        assert process_outbox(backend) == (0, 3)
        assert pending_count() == 3
        failed = IndexOutbox.objects.filter(processed_at__isnull=True)
        assert all(row.attempts == 1 and row.last_error for row in failed)
    finally:
        node("start", port=port)

    assert process_outbox(backend) == (3, 0)
    assert pending_count() == 0
    assert found(backend) == sorted([before.pk, edited.pk, added.pk])
    assert found(backend, "télésurveillance") == [edited.pk]
    assert found(backend, "identitovigilance") == [added.pk]
