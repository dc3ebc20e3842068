"""The search engine's part of the health endpoint."""

from __future__ import annotations

from core.health import Unhealthy

from .backends import get_backend
from .outbox import pending_count


def search_engine() -> str:
    """Ask the catalogue's engine a real question, check its index is in this release's
    shape, and say how many index changes wait."""
    backend = get_backend()
    backend.suggest("a", limit=1)
    outdated = backend.outdated_fields()
    if outdated:
        raise Unhealthy(
            f"index built for an older release ({', '.join(outdated)}): "
            "run manage.py rebuild_search_index"
        )
    return f"{type(backend).__name__}, {pending_count()} change(s) pending"
