"""The catalogue on a search engine: OpenSearch 2/3 or Elasticsearch 8/9.

Published sheets live in versioned indices ``<alias>-<timestamp>`` behind one alias (default
``ruche-projects``): reads and incremental writes go through the alias; ``rebuild()`` fills a
fresh version, swaps the alias in one atomic ``_aliases`` call and deletes the old versions,
so the catalogue never goes dark. Bodies come from documents.py (elasticsearch-dsl).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from search.models import IndexOutbox, PublicProject

from . import clients, documents
from .base import (
    FACETS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    CatalogueQuery,
    CatalogueResults,
    FacetValue,
    Hit,
    Progress,
    SearchBackend,
    band_facet,
    no_facets,
)

BULK_CHUNK = 500
MARKERS = str.maketrans(
    {documents.ENGINE_START: HIGHLIGHT_START, documents.ENGINE_END: HIGHLIGHT_END}
)
# Outbox rows are stamped when written, their transaction commits a little later: replaying
# from a few minutes before covers a change committed just after the rebuild read its sheet.
CATCH_UP_MARGIN = timedelta(minutes=5)


def _published():
    return PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED).prefetch_related(
        "themes"
    )


def _deletions(target: str, project_ids: list[int]) -> list[dict]:
    """Bulk actions taking these sheets out of ``target`` (a concrete version: bulk writes
    through an alias need a write index)."""
    return [{"_op_type": "delete", "_index": target, "_id": pk} for pk in project_ids]


class EngineBackend(SearchBackend):
    def __init__(self, engine: clients.Engine | None = None, alias: str | None = None):
        self.engine = engine or clients.configured()
        self.client = self.engine.client
        self.alias = alias or settings.SEARCH_INDEX

    # -- index versions --------------------------------------------------------------------

    def _versions(self) -> list[str]:
        found = self.client.indices.get(index=f"{self.alias}-*", ignore_unavailable=True)
        return sorted(found.keys())

    def _create_version(self) -> str:
        name = f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        self.client.indices.create(index=name, body=documents.index_body())
        return name

    def current_index(self) -> str | None:
        """The version the alias points to, or None before the first write."""
        try:
            return next(iter(self.client.indices.get_alias(name=self.alias)))
        except self.engine.not_found:
            return None

    def _target(self) -> str:
        """The version writes go to, created empty on the first write."""
        current = self.current_index()
        if current is None:
            current = self._create_version()
            self.client.indices.update_aliases(
                body={"actions": [{"add": {"index": current, "alias": self.alias}}]}
            )
        return current

    # -- writes -----------------------------------------------------------------------------

    def _send(self, actions: Iterable[dict], **options) -> None:
        failed = clients.bulk(self.engine, actions, chunk_size=BULK_CHUNK, **options)
        if failed:
            raise RuntimeError(f"The search engine refused {len(failed)} action(s): {failed[:3]}")

    def _index_into(self, target: str, project_ids: list[int]) -> None:
        """Sheets still published are written, the others deleted: one bulk request."""
        projects = list(_published().filter(pk__in=project_ids))
        gone = sorted(set(project_ids) - {p.pk for p in projects})
        actions: list[dict] = [
            {"_index": target, "_id": p.pk, "_source": documents.source(p)} for p in projects
        ]
        self._send(actions + _deletions(target, gone), refresh=True)

    def index(self, project_ids: list[int]) -> None:
        if project_ids:
            self._index_into(self._target(), sorted({int(pk) for pk in project_ids}))

    def remove(self, project_ids: list[int]) -> None:
        target = self.current_index()
        if project_ids and target:
            self._send(_deletions(target, project_ids), refresh=True)

    def _catch_up(self, target: str, since: datetime) -> None:
        """Re-index into ``target`` every sheet whose change was queued since ``since``: a
        rebuild reads each sheet once, and an edit made after that read must not be lost."""
        changed = IndexOutbox.objects.filter(created_at__gte=since).values_list(
            "project_id", flat=True
        )
        ids = sorted(set(changed))
        for start in range(0, len(ids), BULK_CHUNK):
            self._index_into(target, ids[start : start + BULK_CHUNK])

    def _documents(self, target: str, progress: Progress | None) -> Iterator[dict]:
        projects = _published().order_by("pk")
        total = projects.count()
        if progress:
            progress(0, total)
        done = 0
        for start in range(0, total, BULK_CHUNK):
            chunk = list(projects[start : start + BULK_CHUNK])
            for p in chunk:
                yield {"_index": target, "_id": p.pk, "_source": documents.source(p)}
            done += len(chunk)
            if progress:
                progress(done, total)

    def rebuild(self, progress: Progress | None = None) -> int:
        """A new version, filled then swapped in atomically; old versions are deleted.

        Changes made while it fills go to the old version through the alias; their outbox
        rows are replayed into the new version before and after the swap, so none is lost."""
        started = timezone.now() - CATCH_UP_MARGIN
        new = self._create_version()
        client = self.client
        try:
            client.indices.put_settings(index=new, body={"index": {"refresh_interval": "-1"}})
            self._send(self._documents(new, progress))
            client.indices.put_settings(index=new, body={"index": {"refresh_interval": None}})
            client.indices.refresh(index=new)
            clients.force_merge(self.engine, new)
            caught_up = timezone.now() - CATCH_UP_MARGIN
            self._catch_up(new, since=started)
        except Exception:
            client.indices.delete(index=new, ignore_unavailable=True)
            raise
        old = [name for name in self._versions() if name != new]
        current = self.current_index()
        actions = [{"add": {"index": new, "alias": self.alias}}]
        if current:
            actions.insert(0, {"remove": {"index": current, "alias": self.alias}})
        # One call: readers see the old version, then the new one, never nothing.
        client.indices.update_aliases(body={"actions": actions})
        self._catch_up(new, since=caught_up)  # changes queued during the first catch-up
        for name in old:
            client.indices.delete(index=name, ignore_unavailable=True)
        client.indices.refresh(index=new)
        return client.count(index=new)["count"]

    def outdated_fields(self) -> list[str]:
        current = self.current_index()
        if current is None:
            return []
        mapping = self.client.indices.get_mapping(index=current)[current]["mappings"]
        held = mapping.get("properties", {})
        wanted = documents.index_body()["mappings"]["properties"]
        return sorted(
            name for name, spec in wanted.items() if held.get(name, {}).get("type") != spec["type"]
        )

    def drop(self) -> None:
        """Delete every version of this alias (tests and benchmarks)."""
        self.client.indices.delete(index=f"{self.alias}-*", ignore_unavailable=True)

    # -- reads ------------------------------------------------------------------------------

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        # Two searches in one request, run side by side by the engine: the counts (kept in
        # its request cache) and the page.
        # A missing alias does not raise: each answer carries its error and status.
        searches = [{}, documents.counts_body(query), {}, documents.hits_body(query)]
        counted, found = self.client.msearch(index=self.alias, body=searches)["responses"]
        for answer in (counted, found):
            if answer.get("status", 200) == 404:  # nothing indexed yet
                return CatalogueResults(total=0, hits=[], facets=no_facets())
            if "error" in answer:
                raise RuntimeError(f"The search engine refused the search: {answer['error']}")
        hits = [
            Hit(
                project_id=int(hit["_id"]),
                score=float(hit.get("_score") or 0.0),
                highlights={
                    name: " … ".join(fragments).translate(MARKERS)
                    for name, fragments in hit.get("highlight", {}).items()
                },
            )
            for hit in found["hits"]["hits"]
        ]
        facets = {}
        for facet in FACETS:
            counts = counted["aggregations"][facet]
            counts = counts.get("values", counts)  # under a filter when others are selected
            facets[facet] = [FacetValue(str(b["key"]), b["doc_count"]) for b in counts["buckets"]]
        facets["amount_band"] = band_facet({v.value: v.count for v in facets["amount_band"]})
        return CatalogueResults(total=counted["hits"]["total"]["value"], hits=hits, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        try:
            raw = self.client.search(index=self.alias, body=documents.suggest_body(prefix, limit))
        except self.engine.not_found:
            return []
        titles: list[str] = []
        for hit in raw["hits"]["hits"]:
            title = hit["_source"]["title"]
            if title not in titles:
                titles.append(title)
        return titles[:limit]
