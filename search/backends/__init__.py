"""Search backends behind one small interface (base.py), chosen by settings:
Elasticsearch when ELASTICSEARCH_URL is set, the database otherwise."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import CatalogueQuery, CatalogueResults, FacetValue, Hit, SearchBackend

__all__ = [
    "CatalogueQuery",
    "CatalogueResults",
    "FacetValue",
    "Hit",
    "SearchBackend",
    "get_backend",
]


def get_backend() -> SearchBackend:
    path = getattr(settings, "RUCHE_SEARCH_BACKEND", "") or (
        "search.backends.elastic.ElasticsearchBackend"
        if settings.ELASTICSEARCH_URL
        else "search.backends.database.DatabaseBackend"
    )
    return import_string(path)()
