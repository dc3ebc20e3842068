"""Carrying the outbox to the search engine.

Staff actions write a sheet and its IndexOutbox row in one transaction (publication.py); this
module applies the pending rows later. An engine outage therefore only delays the catalogue:
the failing rows stay pending, with ``attempts`` and ``last_error``, and the next run applies
them. Several rows for one project collapse into its last action.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms import page_cache

from .backends import get_backend
from .models import IndexOutbox

logger = logging.getLogger(__name__)


def _apply(backend, action: str, rows: list[IndexOutbox], project_ids: list[int]) -> bool:
    """Apply one action to the backend; record the outcome on its rows. True when applied."""
    pks = [row.pk for row in rows]
    try:
        # A savepoint: a database backend's failure must not poison the caller's transaction.
        with transaction.atomic():
            if action == IndexOutbox.Action.REMOVE:
                backend.remove(project_ids)
            else:
                backend.index(project_ids)
    except Exception as exc:
        logger.warning(
            "Search outbox: %s of %d project(s) failed, left pending: %s",
            action,
            len(project_ids),
            exc,
            exc_info=True,
        )
        IndexOutbox.objects.filter(pk__in=pks).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    IndexOutbox.objects.filter(pk__in=pks).update(processed_at=timezone.now(), last_error="")
    return True


def process_batch(backend, batch: int) -> tuple[int, int, int]:
    """One batch: (rows done, rows failed, rows read)."""
    with transaction.atomic():
        # Concurrent workers skip each other's rows (PostgreSQL; a no-op on SQLite).
        rows = list(
            IndexOutbox.objects.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True)
            .order_by("pk")[:batch]
        )
        if not rows:
            return 0, 0, 0
        last: dict[int, str] = {}
        for row in rows:  # in order: the last action per project wins
            last[row.project_id] = row.action
        done = failed = 0
        for action in (IndexOutbox.Action.REMOVE, IndexOutbox.Action.INDEX):
            ids = [pid for pid, act in last.items() if act == action]
            if not ids:
                continue
            group = [row for row in rows if last[row.project_id] == action]
            if _apply(backend, action, group, ids):
                done += len(group)
                # The catalogue's cached pages list what the index held before.
                page_cache.invalidate()
            else:
                failed += len(group)
        return done, failed, len(rows)


def process_outbox(backend=None, batch: int = 500) -> tuple[int, int]:
    """Apply every pending outbox row, oldest first; returns (rows done, rows failed).

    Stops after the first batch with a failure (the engine is likely down; the rows wait for
    the next run).
    """
    if backend is None:
        backend = get_backend()
    total_done = total_failed = 0
    while True:
        done, failed, read = process_batch(backend, batch)
        total_done += done
        total_failed += failed
        if failed or read < batch:
            return total_done, total_failed


def pending_count() -> int:
    return IndexOutbox.objects.filter(processed_at__isnull=True).count()
