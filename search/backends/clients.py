"""The client of the configured search engine, one per process.

The request bodies are built with elasticsearch-dsl (plain JSON); they are sent through the
engine's own client: the ``elasticsearch`` client refuses to talk to OpenSearch (it checks
the product and asks for Elasticsearch's compatibility media type), so OpenSearch gets
``opensearch-py``. Both clients take the same calls with ``body=``, and both are thread-safe.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import elasticsearch
import opensearchpy
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import helpers as es_helpers
from opensearchpy import helpers as os_helpers

ENGINES = ("opensearch", "elasticsearch")
# Seconds; a search is short, a bulk of 500 sheets or an index creation may take longer.
REQUEST_TIMEOUT = 30
MERGE_TIMEOUT = 900


@dataclass(frozen=True)
class Engine:
    kind: str
    client: Any  # elasticsearch.Elasticsearch or opensearchpy.OpenSearch
    bulk: Callable[..., tuple[int, list]]
    # Raised when an index or alias does not exist.
    not_found: tuple[type[Exception], ...]


@functools.cache
def engine(kind: str, url: str) -> Engine:
    """The client for ``kind`` at ``url``, created once per process and reused."""
    if kind == "opensearch":
        return Engine(
            kind,
            opensearchpy.OpenSearch(url, timeout=REQUEST_TIMEOUT),
            os_helpers.bulk,
            (opensearchpy.NotFoundError,),
        )
    if kind == "elasticsearch":
        return Engine(
            kind,
            elasticsearch.Elasticsearch(url, request_timeout=REQUEST_TIMEOUT),
            es_helpers.bulk,
            (elasticsearch.NotFoundError,),
        )
    raise ImproperlyConfigured(f"SEARCH_ENGINE must be one of {ENGINES}, not {kind!r}.")


def configured() -> Engine:
    """The engine named by the settings (SEARCH_ENGINE, SEARCH_URL)."""
    return engine(settings.SEARCH_ENGINE, settings.SEARCH_URL)


def force_merge(target: Engine, index: str) -> None:
    """Merge ``index`` into one segment and wait: a freshly filled index searches faster
    merged (fewer segments to visit, no deleted documents left)."""
    if target.kind == "opensearch":
        target.client.indices.forcemerge(
            index=index, max_num_segments=1, params={"request_timeout": MERGE_TIMEOUT}
        )
    else:
        target.client.options(request_timeout=MERGE_TIMEOUT).indices.forcemerge(
            index=index, max_num_segments=1
        )


def bulk(target: Engine, actions: Iterable[dict], **options) -> list[dict]:
    """Send ``actions``; returns the failed items (a deletion of an absent id is no failure)."""
    _, errors = target.bulk(target.client, actions, raise_on_error=False, **options)
    return [e for e in errors if next(iter(e.values()), {}).get("status") != 404]
