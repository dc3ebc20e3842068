"""The checks behind /sante/, for load balancers and monitoring."""

from __future__ import annotations

from functools import partial

from django.conf import settings

from core import health
from search.health import search_engine

# Without these the node cannot serve a page: /sante/ answers 503.
NODE_CHECKS = ("database", "cache")


def checks() -> dict:
    return {
        "database": health.database,
        "cache": health.cache_roundtrip,
        "queue": partial(health.queue_lag, settings.RUCHE_HEALTH_MAX_QUEUE_LAG),
        "search": search_engine,
    }
