"""The search engine's part of the health endpoint."""

from __future__ import annotations

from .backends import get_backend
from .outbox import pending_count


def search_engine() -> str:
    """Ask the catalogue's engine a real question, and say how many index changes wait."""
    backend = get_backend()
    backend.suggest("a", limit=1)
    return f"{type(backend).__name__}, {pending_count()} change(s) pending"
