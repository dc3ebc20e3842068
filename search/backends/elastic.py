"""The catalogue on Elasticsearch (elasticsearch-dsl).

Published sheets live in versioned indices ``<alias>-<timestamp>`` behind one alias (default
``ruche-projects``): reads and incremental writes go through the alias; ``rebuild()`` fills a
fresh version, swaps the alias in one atomic ``_aliases`` call and deletes the old versions, so
the catalogue never goes dark. Facet counts follow the contract: hits are narrowed by a
``post_filter`` holding every selected facet, and each facet's aggregation is wrapped in a
filter holding every OTHER facet's selection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from elasticsearch import Elasticsearch

# elasticsearch-dsl 8.18 is a shim over this module.
from elasticsearch.dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Q,
    ScaledFloat,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.helpers import bulk

from .base import (
    AMOUNT_BANDS,
    FACETS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    CatalogueQuery,
    CatalogueResults,
    FacetValue,
    Hit,
    SearchBackend,
)

DEFAULT_ALIAS = "ruche-projects"
BULK_CHUNK = 500
# Outbox rows are stamped when written, their transaction commits a little later: replaying
# from a few minutes before covers a change committed just after the rebuild read its sheet.
CATCH_UP_MARGIN = timedelta(minutes=5)

french_elision = token_filter(
    "ruche_french_elision",
    type="elision",
    articles_case=True,
    articles=[
        "l",
        "m",
        "t",
        "qu",
        "n",
        "s",
        "j",
        "d",
        "c",
        "jusqu",
        "quoiqu",
        "lorsqu",
        "puisqu",
    ],  # fmt: skip
)
french_stop = token_filter("ruche_french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("ruche_french_stemmer", type="stemmer", language="light_french")

# Elision before lowercasing keeps « L'Hôpital » → « hôpital »; folding makes « telesurveillance »
# find « télésurveillance »; stop words are folded too (« à », « été »).
french = analyzer(
    "ruche_french",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", french_stop, french_stemmer],
)
# Suggestions: no stemming (prefixes of stems surprise visitors), but folded and elided.
folding = analyzer(
    "ruche_folding",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding"],
)

# facet name -> keyword field
FACET_FIELDS = {
    "theme": "theme",
    "region": "region",
    "call": "call",
    "year": "year",
    "trl": "trl",
    "amount_band": "amount_band",
}
assert set(FACET_FIELDS) == set(FACETS)
TEXT_FIELDS = ["title^3", "summary", "description", "organisation"]


class ProjectDocument(Document):
    """One published sheet, public fields only."""

    title = Text(analyzer=french, fields={"raw": Keyword()})
    title_suggest = SearchAsYouType(analyzer=folding)
    summary = Text(analyzer=french)
    description = Text(analyzer=french)
    organisation = Text(analyzer=french, fields={"raw": Keyword()})
    call_title = Text(analyzer=french, fields={"raw": Keyword()})
    theme_names = Text(analyzer=french, fields={"raw": Keyword()})
    # facets: keyword values are the contract's facet values (strings)
    theme = Keyword()
    region = Keyword()
    call = Keyword()
    year = Keyword()
    trl = Keyword()
    amount_band = Keyword()
    # sorts
    amount = ScaledFloat(scaling_factor=100)
    published_at = Date()
    project_id = Integer()

    class Index:
        name = DEFAULT_ALIAS
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def amount_band(amount) -> str:
    for key, low, high in AMOUNT_BANDS:
        if amount >= low and (high is None or amount < high):
            return key
    return AMOUNT_BANDS[0][0]


def to_document(project) -> ProjectDocument:
    themes = list(project.themes.all())
    return ProjectDocument(
        meta={"id": project.pk},
        project_id=project.pk,
        title=project.title,
        title_suggest=project.title,
        summary=project.summary,
        description=project.description,
        organisation=project.organisation_name,
        call_title=project.call_title,
        theme_names=[t.name for t in themes],
        theme=[t.slug for t in themes],
        region=project.region,
        call=str(project.call_id) if project.call_id else None,
        year=str(project.year),
        trl=str(project.trl) if project.trl is not None else None,
        amount_band=amount_band(project.amount_granted),
        amount=float(project.amount_granted),
        published_at=project.published_at,
    )


def _published():
    from search.models import PublicProject

    return PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED).prefetch_related(
        "themes"
    )


class ElasticsearchBackend(SearchBackend):
    def __init__(self, url: str | None = None, alias: str | None = None, client=None):
        self.alias = alias or getattr(settings, "RUCHE_SEARCH_INDEX", "") or DEFAULT_ALIAS
        self.client = client or Elasticsearch(url or settings.ELASTICSEARCH_URL)

    # -- index versions --------------------------------------------------------------------

    def _versions(self) -> list[str]:
        found = self.client.indices.get(index=f"{self.alias}-*", ignore_unavailable=True)
        return sorted(found.keys())

    def _create_version(self) -> str:
        name = f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        ProjectDocument._index.clone(name=name, using=self.client).create()
        return name

    def ensure_index(self) -> str:
        """The alias, created over a fresh empty version if missing (first write)."""
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._create_version()
            self.client.indices.put_alias(index=name, name=self.alias)
        return self.alias

    def current_index(self) -> str | None:
        if not self.client.indices.exists_alias(name=self.alias):
            return None
        return next(iter(self.client.indices.get_alias(name=self.alias)))

    # -- writes -----------------------------------------------------------------------------

    def _actions(self, projects: Iterable, index: str) -> Iterator[dict]:
        for project in projects:
            action = to_document(project).to_dict(include_meta=True)
            action["_index"] = index
            yield action

    def index(self, project_ids: list[int]) -> None:
        if project_ids:
            self._index_into(self.ensure_index(), project_ids)

    def _index_into(self, target: str, project_ids: list[int]) -> None:
        projects = list(_published().filter(pk__in=project_ids))
        bulk(self.client, self._actions(projects, target), chunk_size=BULK_CHUNK, refresh=True)
        # Ids asked for but no longer published must not linger in the catalogue.
        gone = set(project_ids) - {p.pk for p in projects}
        if gone:
            self._delete_from(target, sorted(gone))

    def _delete_from(self, target: str, project_ids: list[int]) -> None:
        actions = ({"_op_type": "delete", "_index": target, "_id": pk} for pk in project_ids)
        _, errors = bulk(self.client, actions, refresh=True, raise_on_error=False)
        real = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if real:
            raise RuntimeError(f"Elasticsearch refused {len(real)} deletions: {real[:3]}")

    def _catch_up(self, target: str, since) -> None:
        """Re-index into ``target`` every sheet whose change was queued since ``since``: a
        rebuild reads each sheet once, and an edit made after that read must not be lost."""
        from search.models import IndexOutbox

        changed = IndexOutbox.objects.filter(created_at__gte=since).values_list(
            "project_id", flat=True
        )
        ids = sorted(set(changed))
        for start in range(0, len(ids), BULK_CHUNK):
            self._index_into(target, ids[start : start + BULK_CHUNK])

    def remove(self, project_ids: list[int]) -> None:
        if not project_ids or not self.client.indices.exists_alias(name=self.alias):
            return
        # Deletes go to the concrete index: bulk writes through an alias need a write index.
        target = self.current_index()
        actions = ({"_op_type": "delete", "_index": target, "_id": pk} for pk in project_ids)
        _, errors = bulk(self.client, actions, refresh=True, raise_on_error=False)
        real = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if real:
            raise RuntimeError(f"Elasticsearch refused {len(real)} deletions: {real[:3]}")

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """A new version, filled then swapped in atomically; old versions are deleted.

        Changes made while it fills go to the old version through the alias; their outbox
        rows are replayed into the new version before and after the swap, so none is lost."""
        started = timezone.now() - CATCH_UP_MARGIN
        projects = _published().order_by("pk")
        total = projects.count()
        new = self._create_version()
        client = self.client
        try:
            client.indices.put_settings(index=new, settings={"refresh_interval": "-1"})
            done = 0
            if progress:
                progress(0, total)
            for start in range(0, total, BULK_CHUNK):
                chunk = list(projects[start : start + BULK_CHUNK])
                bulk(client, self._actions(chunk, new), chunk_size=BULK_CHUNK)
                done += len(chunk)
                if progress:
                    progress(done, total)
            client.indices.put_settings(index=new, settings={"refresh_interval": None})
            client.indices.refresh(index=new)
            caught_up = timezone.now() - CATCH_UP_MARGIN
            self._catch_up(new, since=started)
        except Exception:
            client.indices.delete(index=new, ignore_unavailable=True)
            raise
        old = [name for name in self._versions() if name != new]
        actions = [{"add": {"index": new, "alias": self.alias}}]
        if client.indices.exists_alias(name=self.alias):
            current = list(client.indices.get_alias(name=self.alias))
            actions[:0] = [{"remove": {"index": name, "alias": self.alias}} for name in current]
        # One call: readers see the old version, then the new one, never nothing.
        client.indices.update_aliases(actions=actions)
        self._catch_up(new, since=caught_up)  # changes queued during the first catch-up
        for name in old:
            client.indices.delete(index=name, ignore_unavailable=True)
        return total

    # -- reads ------------------------------------------------------------------------------

    def _search(self) -> Search:
        return Search(using=self.client, index=self.alias)

    def search(self, query: CatalogueQuery) -> CatalogueResults:
        if not self.client.indices.exists_alias(name=self.alias):
            return CatalogueResults(total=0, hits=[], facets={f: [] for f in FACETS})
        text = query.text.strip()
        s = self._search().extra(track_total_hits=True)
        if text:
            s = s.query(
                Q(
                    "bool",
                    must=[
                        Q(
                            "multi_match",
                            query=text,
                            fields=TEXT_FIELDS,
                            fuzziness="AUTO",
                            prefix_length=1,
                        )
                    ],
                    should=[Q("match_phrase", title={"query": text, "boost": 2})],
                )
            )
        filters = {
            facet: Q("terms", **{FACET_FIELDS[facet]: [str(v) for v in values]})
            for facet, values in query.filters.items()
            if facet in FACET_FIELDS and values
        }
        if filters:
            s = s.post_filter(Q("bool", filter=list(filters.values())))
        for facet in FACETS:
            others = [f for name, f in filters.items() if name != facet]
            s.aggs.bucket(facet, "filter", filter=Q("bool", filter=others)).bucket(
                "values", "terms", field=FACET_FIELDS[facet], size=200
            )
        sort = query.sort if query.sort in ("newest", "amount") else "relevance"
        if sort == "relevance" and not text:
            sort = "newest"
        order = {
            "relevance": ["_score", {"published_at": "desc"}],
            "newest": [{"published_at": "desc"}, "title.raw"],
            "amount": [{"amount": "desc"}, {"published_at": "desc"}],
        }[sort]
        s = s.sort(*order, {"project_id": "asc"})
        s = s.highlight_options(
            pre_tags=[HIGHLIGHT_START], post_tags=[HIGHLIGHT_END], encoder="default"
        )
        s = s.highlight("title", number_of_fragments=0).highlight(
            "summary", fragment_size=200, number_of_fragments=1
        )
        page, per_page = max(query.page, 1), max(query.per_page, 1)
        s = s[(page - 1) * per_page : page * per_page]
        response = s.execute()
        hits = []
        for hit in response:
            highlights = {}
            if hasattr(hit.meta, "highlight"):
                for name in ("title", "summary"):
                    fragments = getattr(hit.meta.highlight, name, None)
                    if fragments:
                        highlights[name] = " … ".join(fragments)
            hits.append(
                Hit(project_id=int(hit.meta.id), score=hit.meta.score or 0.0, highlights=highlights)
            )
        facets = {
            facet: [
                FacetValue(value=str(b.key), count=b.doc_count)
                for b in response.aggregations[facet]["values"].buckets
            ]
            for facet in FACETS
        }
        # As the contract has it: every amount band, in scale order, even when empty.
        counts = {v.value: v.count for v in facets["amount_band"]}
        facets["amount_band"] = [
            FacetValue(key, counts.get(key, 0)) for key, _l, _h in AMOUNT_BANDS
        ]
        return CatalogueResults(total=response.hits.total.value, hits=hits, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.strip()
        if not prefix or not self.client.indices.exists_alias(name=self.alias):
            return []
        s = self._search().query(
            "multi_match",
            query=prefix,
            type="bool_prefix",
            fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
        )
        s = s.source(["title"])[: limit * 2]
        titles: list[str] = []
        for hit in s.execute():
            if hit.title not in titles:
                titles.append(hit.title)
            if len(titles) == limit:
                break
        return titles
