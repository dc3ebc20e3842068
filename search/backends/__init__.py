"""Search backends behind one interface (base.py), chosen by the SEARCH_ENGINE setting: the
database (default), or OpenSearch / Elasticsearch at SEARCH_URL."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import CatalogueQuery, CatalogueResults, FacetValue, Hit, SearchBackend
from .clients import ENGINES

__all__ = [
    "CatalogueQuery",
    "CatalogueResults",
    "FacetValue",
    "Hit",
    "SearchBackend",
    "get_backend",
]

DATABASE = "search.backends.database.DatabaseBackend"
ENGINE = "search.backends.engine.EngineBackend"


def get_backend() -> SearchBackend:
    """The configured backend; cheap to create (the engine's client is shared per process).
    RUCHE_SEARCH_BACKEND, a dotted class path, overrides the choice (tests)."""
    path = getattr(settings, "RUCHE_SEARCH_BACKEND", "")
    if not path:
        if settings.SEARCH_ENGINE == "database":
            path = DATABASE
        elif settings.SEARCH_ENGINE in ENGINES:
            path = ENGINE
        else:
            raise ImproperlyConfigured(
                f"SEARCH_ENGINE must be database, {' or '.join(ENGINES)}: "
                f"not {settings.SEARCH_ENGINE!r}."
            )
    return import_string(path)()
